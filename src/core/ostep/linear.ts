// OSTEP's linear page table (vm-paging/paging-linear-translate.py): one 32-bit entry per
// virtual page, bit 31 = valid, the low bits = PFN; a VA splits into VPN | offset by page size.
import { dec, hex } from './pyfmt';

export interface LinearGeometry {
  asize: number;
  psize: number;
  pageSize: number;
  /** Virtual pages: the page table's length. */
  vpages: number;
  /** Physical pages: valid PFNs are below this. */
  ppages: number;
}

/** The problem as the script prints it without -c. `args` are echoed verbatim on the ARG lines. */
export interface LinearProblem {
  args: { seed: string; asize: string; psize: string; pagesize: string; verbose: boolean; addresses: string };
  geometry: LinearGeometry;
  /** One entry per virtual page: the PFN, or null where the script printed 0x00000000. */
  pageTable: (number | null)[];
  vas: number[];
}

export type LinearTranslation = { va: number; vpn: number; offset: number } & (
  | { valid: false }
  | { valid: true; pfn: number; pa: number }
);

const GB = 1024 * 1024 * 1024;

/** The script's convert(): a whole number with an optional k/m/g suffix (powers of 1024). */
export function convertSize(s: string): number | null {
  const m = /^(\d{1,12})([kKmMgG]?)$/.exec(s);
  if (!m) return null;
  const unit = { '': 1, k: 1024, m: 1024 * 1024, g: GB }[(m[2] as string).toLowerCase()] ?? 1;
  return Number(m[1]) * unit;
}

// Only called on sizes below 1 GiB, so 32-bit bit tricks are exact.
const isPow2 = (n: number) => n >= 1 && (n & (n - 1)) === 0;

/** The script's argument checks, in its order and with its messages (it exits 1 on each). */
export function linearGeometry(
  asizeText: string,
  psizeText: string,
  pageText: string,
): { ok: true; value: LinearGeometry } | { ok: false; error: string } {
  const asize = convertSize(asizeText);
  const psize = convertSize(psizeText);
  const pageSize = convertSize(pageText);
  if (asize === null || psize === null || pageSize === null) {
    const bad = asize === null ? asizeText : psize === null ? psizeText : pageText;
    return { ok: false, error: `size "${bad.slice(0, 40)}" is not a number with an optional k/m/g suffix` };
  }
  const fail = (error: string) => ({ ok: false as const, error });
  if (psize <= 1) return fail('Error: must specify a non-zero physical memory size.');
  if (asize < 1) return fail('Error: must specify a non-zero address-space size.');
  if (psize <= asize)
    return fail('Error: physical memory size must be GREATER than address space size (for this simulation)');
  if (psize >= GB || asize >= GB)
    return fail('Error: must use smaller sizes (less than 1 GB) for this simulation.');
  // A zero page size makes the script divide by zero; report it as the multiple check would.
  if (pageSize === 0 || asize % pageSize !== 0)
    return fail('Error in argument: address space must be a multiple of the pagesize');
  if (psize % pageSize !== 0)
    return fail('Error in argument: physical memory must be a multiple of the pagesize');
  if (!isPow2(asize)) return fail('Error in argument: address space must be a power of 2');
  if (!isPow2(pageSize)) return fail('Error in argument: page size must be a power of 2');
  return { ok: true, value: { asize, psize, pageSize, vpages: asize / pageSize, ppages: psize / pageSize } };
}

/**
 * Translates one VA as the script does: VPN = (va & 0xFFFFFFFF & ~pagemask) >> pagebits, so
 * a VA at or above 2**32 wraps. Returns null when the VPN is past the table's end: the script
 * indexes its array there and dies with IndexError (it never range-checks -A addresses).
 */
export function translateLinear(
  g: LinearGeometry,
  pageTable: readonly (number | null)[],
  va: number,
): LinearTranslation | null {
  const vpn = Math.floor((va % 2 ** 32) / g.pageSize);
  const offset = va % g.pageSize;
  if (vpn >= pageTable.length) return null;
  const pfn = pageTable[vpn] ?? null;
  if (pfn === null) return { va, vpn, offset, valid: false };
  return { va, vpn, offset, valid: true, pfn, pa: pfn * g.pageSize + offset };
}

export function solveLinear(
  p: LinearProblem,
): { ok: true; value: LinearTranslation[] } | { ok: false; error: string } {
  const out: LinearTranslation[] = [];
  for (const va of p.vas) {
    const t = translateLinear(p.geometry, p.pageTable, va);
    if (!t) return { ok: false, error: `VA ${va} is past the end of the page table (the script crashes)` };
    out.push(t);
  }
  return { ok: true, value: out };
}

function pageTableLines(p: LinearProblem): string[] {
  return p.pageTable.map((pfn, v) => {
    const entry = `0x${hex(pfn === null ? 0 : 0x80000000 + pfn, 8)}`;
    return p.args.verbose ? `  [${dec(v, 8)}]  ${entry}` : `  ${entry}`;
  });
}

/** The script's whole stdout with -c. */
export function formatLinearSolution(
  p: LinearProblem,
): { ok: true; text: string } | { ok: false; error: string } {
  const solved = solveLinear(p);
  if (!solved.ok) return solved;
  const a = p.args;
  const lines = [
    `ARG seed ${a.seed}`,
    `ARG address space size ${a.asize}`,
    `ARG phys mem size ${a.psize}`,
    `ARG page size ${a.pagesize}`,
    `ARG verbose ${a.verbose ? 'True' : 'False'}`,
    `ARG addresses ${a.addresses}`,
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
    ...pageTableLines(p),
    '',
    'Virtual Address Trace',
  ];
  for (const t of solved.value) {
    const head = `  VA 0x${hex(t.va, 8)} (decimal: ${dec(t.va, 8)}) -->`;
    // The script's wording, including the double space before "Invalid".
    lines.push(
      t.valid
        ? `${head} ${hex(t.pa, 8)} (decimal ${dec(t.pa, 8)}) [VPN ${t.vpn}]`
        : `${head}  Invalid (VPN ${t.vpn} not valid)`,
    );
  }
  lines.push('');
  return { ok: true, text: `${lines.join('\n')}\n` };
}
