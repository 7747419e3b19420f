// Reads the problem paging-linear-translate.py prints without -c: six ARG lines, a fixed
// explanation, the page table (one 0x%08x entry per virtual page, "[%8d]"-numbered with -v),
// the virtual-address trace, and the closing instructions.
import { type LinearProblem, linearGeometry, translateLinear } from '../../core/ostep/linear';
import { fail, type ParseResult, show, toLines } from './text';

const INTRO = [
  '',
  '',
  'The format of the page table is simple:',
  'The high-order (left-most) bit is the VALID bit.',
  '  If the bit is 1, the rest of the entry is the PFN.',
  '  If the bit is 0, the page is not valid.',
  'Use verbose mode (-v) if you want to print the VPN # by',
  'each entry of the page table.',
  '',
  'Page Table (from entry 0 down to the max size)',
];
const OUTRO = [
  'For each virtual address, write down the physical address it translates to',
  'OR write down that it is an out-of-bounds address (e.g., segfault).',
];
const VA_LINE = /^ {2}VA 0x([0-9a-fA-F]{1,13}) \(decimal: *(\d{1,16})\) --> PA or invalid address\?$/;

export function parseLinearProblem(text: string): ParseResult<LinearProblem> {
  const split = toLines(text);
  if (!split.ok) return split;
  const lines = split.value;
  const at = (i: number) => (lines[i] ?? '').trimEnd();
  const expected = (i: number, what: string) =>
    fail(
      i >= lines.length
        ? `line ${i + 1}: the problem ends early; expected ${what}`
        : `line ${i + 1}: expected ${what}, found ${show(lines[i] as string)}`,
    );

  // ARG values are echoed back verbatim, so take them untrimmed (only the CR of a CRLF goes).
  const names = ['seed', 'address space size', 'phys mem size', 'page size', 'verbose', 'addresses'];
  const raw: string[] = [];
  for (const [i, name] of names.entries()) {
    const line = lines[i] ?? '';
    if (!line.startsWith(`ARG ${name} `)) return expected(i, `"ARG ${name} ..."`);
    raw.push(line.slice(`ARG ${name} `.length));
  }
  const [seed, asize, psize, pagesize, verbose, addresses] = raw as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^-?\d{1,100}$/.test(seed)) return expected(0, '"ARG seed <integer>"');
  if (verbose !== 'True' && verbose !== 'False')
    return expected(4, '"ARG verbose True" or "ARG verbose False"');
  const geo = linearGeometry(asize, psize, pagesize);
  if (!geo.ok) return fail(`lines 2-4: ${geo.error}`);
  const g = geo.value;

  let i = names.length;
  for (const want of INTRO) {
    if (at(i) !== want) return expected(i, want === '' ? 'a blank line' : show(want));
    i++;
  }

  // One entry per virtual page, numbered when the problem was made with -v.
  const entry = verbose === 'True' ? /^ {2}\[ *(\d+)\] {2}0x([0-9a-fA-F]{8})$/ : /^ {2}()0x([0-9a-fA-F]{8})$/;
  const pageTable: (number | null)[] = [];
  for (let v = 0; v < g.vpages; v++, i++) {
    const m = entry.exec(at(i));
    if (!m || (verbose === 'True' && Number(m[1]) !== v))
      return expected(i, `page-table entry ${v} of ${g.vpages} (address space / page size)`);
    const value = Number.parseInt(m[2] as string, 16);
    if (value === 0) pageTable.push(null);
    else if (value >= 0x80000000 && value - 0x80000000 < g.ppages) pageTable.push(value - 0x80000000);
    else
      return fail(
        `line ${i + 1}: entry 0x${m[2]} is neither 0x00000000 (invalid) nor valid with a PFN below ${g.ppages}`,
      );
  }
  if (at(i) !== '') return expected(i, `a blank line after the ${g.vpages} page-table entries`);
  i++;
  if (at(i) !== 'Virtual Address Trace') return expected(i, '"Virtual Address Trace"');
  i++;

  const vas: number[] = [];
  for (; i < lines.length && at(i) !== ''; i++) {
    const m = VA_LINE.exec(at(i));
    if (!m) return expected(i, '"  VA 0x<hex> (decimal: <n>) --> PA or invalid address?"');
    const va = Number.parseInt(m[1] as string, 16);
    if (va !== Number(m[2])) return fail(`line ${i + 1}: the hex and decimal forms of the VA disagree`);
    // -A addresses are not range-checked by the script; past the table it dies with IndexError.
    if (!translateLinear(g, pageTable, va))
      return fail(`line ${i + 1}: VA ${va} lies past the ${g.vpages}-entry page table (the script crashes)`);
    vas.push(va);
  }
  // The closing instructions also tell a complete problem from a cut-off one.
  if (i >= lines.length) return expected(i, 'a blank line and the closing instructions');
  i++;
  for (const want of OUTRO) {
    if (at(i) !== want) return expected(i, show(want));
    i++;
  }
  for (; i < lines.length; i++)
    if (at(i) !== '') return fail(`line ${i + 1}: unexpected text after the problem: ${show(at(i))}`);

  return {
    ok: true,
    value: {
      args: { seed, asize, psize, pagesize, verbose: verbose === 'True', addresses },
      geometry: g,
      pageTable,
      vas,
    },
  };
}
