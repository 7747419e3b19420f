import { describe, expect, it } from 'vitest';
import {
  formatMultilevelSolution,
  ML_PDE_FAULT,
  ML_PHYS_BYTES,
  ML_PTE_FAULT,
  type MultilevelProblem,
  translateMultilevel,
} from './multilevel';

/** Page 3 is the directory: entry 0 -> table in page 5; the rest invalid (0x7f, as the script fills). */
function machine(): Uint8Array {
  const m = new Uint8Array(ML_PHYS_BYTES);
  m.fill(0x7f, 3 * 32, 4 * 32);
  m.fill(0x7f, 5 * 32, 6 * 32);
  m[3 * 32 + 0] = 0x80 | 5; // PDE 0: valid, table in page 5
  m[5 * 32 + 2] = 0x80 | 9; // PTE 2: valid, data in page 9
  m[9 * 32 + 0x11] = 0x1c; // the byte a VA with PTE index 2, offset 0x11 reads
  return m;
}

describe('two-level translation, step by step', () => {
  it('walks directory then table, and reads the byte', () => {
    const t = translateMultilevel(machine(), 3, (0 << 10) | (2 << 5) | 0x11);
    expect(t.pde).toEqual({ index: 0, addr: 96, value: 0x85, valid: true, pfn: 5 });
    expect(t.pte).toEqual({ index: 2, addr: 162, value: 0x89, valid: true, pfn: 9 });
    expect(t.outcome).toEqual({ kind: 'ok', pa: 9 * 32 + 0x11, value: 0x1c });
  });

  it('stops at an invalid directory entry without reading a table', () => {
    const t = translateMultilevel(machine(), 3, 1 << 10);
    expect(t.pde).toMatchObject({ index: 1, value: 0x7f, valid: false, pfn: 0x7f });
    expect(t.pte).toBeUndefined();
    expect(t.outcome).toEqual({ kind: 'pde-fault', message: ML_PDE_FAULT });
    expect(ML_PDE_FAULT).toBe('Fault (page directory entry not valid)');
  });

  it('faults on an invalid table entry', () => {
    const t = translateMultilevel(machine(), 3, 3 << 5);
    expect(t.pte).toMatchObject({ index: 3, valid: false });
    expect(t.outcome).toEqual({ kind: 'pte-fault', message: ML_PTE_FAULT });
  });

  it("prints the three outcomes in the script's words and spacing", () => {
    const p: MultilevelProblem = {
      args: { seed: '0', allocated: '1', num: '3' },
      memory: machine(),
      pdbr: 3,
      vas: [0x0051, 0x0400, 0x0060],
    };
    const text = formatMultilevelSolution(p);
    expect(text.split('\n').slice(135)).toEqual([
      'Virtual Address 0x0051:',
      '  --> pde index:0x0 [decimal 0] pde contents:0x85 (valid 1, pfn 0x05 [decimal 5])',
      '    --> pte index:0x2 [decimal 2] pte contents:0x89 (valid 1, pfn 0x09 [decimal 9])',
      '      --> Translates to Physical Address 0x131 --> Value: 0x1c',
      'Virtual Address 0x0400:',
      '  --> pde index:0x1 [decimal 1] pde contents:0x7f (valid 0, pfn 0x7f [decimal 127])',
      '      --> Fault (page directory entry not valid)',
      'Virtual Address 0x0060:',
      '  --> pde index:0x0 [decimal 0] pde contents:0x85 (valid 1, pfn 0x05 [decimal 5])',
      '    --> pte index:0x3 [decimal 3] pte contents:0x7f (valid 0, pfn 0x7f [decimal 127])',
      '      --> Fault (page table entry not valid)',
      '',
      '',
    ]);
    expect(text.split('\n')[133]).toBe(
      'PDBR: 3  (decimal) [This means the page directory is held in this page]',
    );
  });
});
