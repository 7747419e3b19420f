// OSTEP's toy two-level page table (vm-smalltables/paging-multilevel-translate.py).
// 15-bit virtual addresses = 5-bit page-directory index | 5-bit page-table index | 5-bit offset;
// 32-byte pages; 128 physical pages (4 KiB). Directory and table entries are one byte each:
// bit 7 = valid, bits 0-6 = PFN. The PDBR names the physical page holding the directory.
import { hex } from './pyfmt';

export const ML_PAGE_SIZE = 32;
export const ML_PHYS_PAGES = 128;
export const ML_PHYS_BYTES = ML_PAGE_SIZE * ML_PHYS_PAGES;
/** The script draws VAs as int(random() * 1024 * 32): 15 bits. */
export const ML_VA_LIMIT = 1 << 15;

export const ML_PDE_FAULT = 'Fault (page directory entry not valid)';
export const ML_PTE_FAULT = 'Fault (page table entry not valid)';

/** The problem as the script prints it without -c. `args` are echoed on the ARG lines. */
export interface MultilevelProblem {
  args: { seed: string; allocated: string; num: string };
  /** All 4096 bytes of physical memory, page 0 first. */
  memory: Uint8Array;
  pdbr: number;
  vas: number[];
}

/** One level of the walk: which entry was read, from where, and what it says. */
export interface MultilevelEntry {
  index: number;
  /** Physical byte address of the entry. */
  addr: number;
  value: number;
  valid: boolean;
  pfn: number;
}

export type MultilevelOutcome =
  | { kind: 'ok'; pa: number; value: number }
  | { kind: 'pde-fault'; message: typeof ML_PDE_FAULT }
  | { kind: 'pte-fault'; message: typeof ML_PTE_FAULT };

export interface MultilevelTranslation {
  va: number;
  pde: MultilevelEntry;
  /** Absent when the directory entry is invalid: the script stops before reading a table. */
  pte?: MultilevelEntry;
  outcome: MultilevelOutcome;
}

function readEntry(memory: Uint8Array, page: number, index: number): MultilevelEntry {
  const addr = (page << 5) | index;
  const value = memory[addr] ?? 0;
  return { index, addr, value, valid: (value & 0x80) !== 0, pfn: value & 0x7f };
}

/** The script's OS.translate, step by step. `memory` must hold ML_PHYS_BYTES bytes. */
export function translateMultilevel(memory: Uint8Array, pdbr: number, va: number): MultilevelTranslation {
  const pde = readEntry(memory, pdbr & 0x7f, (va & 0x7c00) >> 10);
  if (!pde.valid) return { va, pde, outcome: { kind: 'pde-fault', message: ML_PDE_FAULT } };
  const pte = readEntry(memory, pde.pfn, (va & 0x03e0) >> 5);
  if (!pte.valid) return { va, pde, pte, outcome: { kind: 'pte-fault', message: ML_PTE_FAULT } };
  const pa = (pte.pfn << 5) | (va & 0x1f);
  return { va, pde, pte, outcome: { kind: 'ok', pa, value: memory[pa] ?? 0 } };
}

export function solveMultilevel(p: MultilevelProblem): MultilevelTranslation[] {
  return p.vas.map((va) => translateMultilevel(p.memory, p.pdbr, va));
}

function entryLine(level: 'pde' | 'pte', e: MultilevelEntry): string {
  // Note the asymmetry copied from the script: index and contents use %x, the PFN %02x.
  return `${level} index:0x${hex(e.index, 0)} [decimal ${e.index}] ${level} contents:0x${hex(e.value, 0)} (valid ${e.valid ? 1 : 0}, pfn 0x${hex(e.pfn, 2)} [decimal ${e.pfn}])`;
}

/** The script's whole stdout with -c (upstream's current wording: `0x` before the VA and the value). */
export function formatMultilevelSolution(p: MultilevelProblem): string {
  const lines = [`ARG seed ${p.args.seed}`, `ARG allocated ${p.args.allocated}`, `ARG num ${p.args.num}`, ''];
  for (let page = 0; page < ML_PHYS_PAGES; page++) {
    const bytes = Array.from(p.memory.subarray(page * ML_PAGE_SIZE, (page + 1) * ML_PAGE_SIZE), (b) =>
      hex(b, 2),
    );
    lines.push(`page ${String(page).padStart(3)}:${bytes.join('')}`);
  }
  // print('\nPDBR:', pdbr, ' (decimal) [...]\n'): print's separators make the double space.
  lines.push('', `PDBR: ${p.pdbr}  (decimal) [This means the page directory is held in this page]`, '');
  for (const t of solveMultilevel(p)) {
    lines.push(`Virtual Address 0x${hex(t.va, 4)}:`, `  --> ${entryLine('pde', t.pde)}`);
    if (t.pte) lines.push(`    --> ${entryLine('pte', t.pte)}`);
    lines.push(
      t.outcome.kind === 'ok'
        ? `      --> Translates to Physical Address 0x${hex(t.outcome.pa, 3)} --> Value: 0x${hex(t.outcome.value, 2)}`
        : `      --> ${t.outcome.message}`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
