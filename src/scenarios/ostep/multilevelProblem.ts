// Reads the problem paging-multilevel-translate.py prints without -c: ARG lines, a dump of
// all 128 physical pages, the PDBR, and one "Virtual Address XXXX: ... Or Fault?" per address.
import {
  ML_PAGE_SIZE,
  ML_PHYS_BYTES,
  ML_PHYS_PAGES,
  ML_VA_LIMIT,
  type MultilevelProblem,
} from '../../core/ostep/multilevel';
import { fail, type ParseResult, show, toLines } from './text';

const VA_LINE =
  /^Virtual Address ([0-9a-fA-F]{1,8}): Translates To What Physical Address \(And Fetches what Value\)\? Or Fault\?$/;

export function parseMultilevelProblem(text: string): ParseResult<MultilevelProblem> {
  const split = toLines(text);
  if (!split.ok) return split;
  const lines = split.value;
  // Each check names the 1-based line and what the script prints there.
  const at = (i: number) => (lines[i] ?? '').trimEnd();
  const expected = (i: number, what: string) =>
    fail(
      i >= lines.length
        ? `line ${i + 1}: the problem ends early; expected ${what}`
        : `line ${i + 1}: expected ${what}, found ${show(lines[i] as string)}`,
    );

  const args: string[] = [];
  for (const [i, name] of ['seed', 'allocated', 'num'].entries()) {
    const m = new RegExp(`^ARG ${name} (-?\\d{1,100})$`).exec(at(i));
    if (!m) return expected(i, `"ARG ${name} <integer>"`);
    args.push(m[1] as string);
  }
  const [seed, allocated, num] = args as [string, string, string];
  if (at(3) !== '') return expected(3, 'a blank line after the ARG lines');

  const memory = new Uint8Array(ML_PHYS_BYTES);
  for (let page = 0; page < ML_PHYS_PAGES; page++) {
    const i = 4 + page;
    const m = /^page +(\d+):([0-9a-fA-F]{64})$/.exec(at(i));
    if (!m || Number(m[1]) !== page)
      return expected(i, `"page ${String(page).padStart(3)}:" and 32 bytes in hex (the memory dump)`);
    const hex = m[2] as string;
    for (let b = 0; b < ML_PAGE_SIZE; b++)
      memory[page * ML_PAGE_SIZE + b] = Number.parseInt(hex.slice(2 * b, 2 * b + 2), 16);
  }

  let i = 4 + ML_PHYS_PAGES;
  if (at(i) !== '') return expected(i, 'a blank line after the memory dump');
  i++;
  const pdbrMatch = /^PDBR: +(\d{1,3}) +\(decimal\)/.exec(at(i));
  if (!pdbrMatch) return expected(i, '"PDBR: <page>  (decimal) ..."');
  const pdbr = Number(pdbrMatch[1]);
  if (pdbr >= ML_PHYS_PAGES) return fail(`line ${i + 1}: PDBR ${pdbr} is not one of the 128 physical pages`);
  i++;
  if (at(i) !== '') return expected(i, 'a blank line after the PDBR line');
  i++;

  // The script prints exactly `num` addresses (none when num <= 0); fewer means a cut-off file.
  const count = Math.max(0, Number(num));
  const vas: number[] = [];
  for (let k = 0; k < count; k++, i++) {
    const m = VA_LINE.exec(at(i));
    if (!m)
      return expected(
        i,
        `virtual address ${k + 1} of ${count} ("Virtual Address <hex>: Translates To What Physical Address (And Fetches what Value)? Or Fault?")`,
      );
    const va = Number.parseInt(m[1] as string, 16);
    if (va >= ML_VA_LIMIT)
      return fail(`line ${i + 1}: virtual address 0x${m[1]} does not fit the 15-bit address space`);
    vas.push(va);
  }
  if (at(i) !== '') return expected(i, `a blank line after the ${count} virtual addresses (ARG num)`);
  for (i++; i < lines.length; i++)
    if (at(i) !== '') return fail(`line ${i + 1}: unexpected text after the problem: ${show(at(i))}`);
  return { ok: true, value: { args: { seed, allocated, num }, memory, pdbr, vas } };
}
