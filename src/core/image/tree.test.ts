import { describe, expect, it } from 'vitest';
import { encodeLeaf, encodeTable } from '../arch/arm64/desc';
import { encodePte } from '../arch/riscv64/pte';
import { buildArm, buildRiscv, buildX86 } from './archProgram';
import { imageTree, type TreeEntryRow, type TreeRow, type TreeTable } from './tree';
import { type ImageFrames, writeQword } from './types';
import type { X86Image } from './x86_64';

const entries = (t: TreeTable) => t.rows.filter((r): r is TreeEntryRow => r.kind === 'entry');
const entry = (t: TreeTable | null | undefined, index: number) => {
  const e = t ? entries(t).find((r) => r.index === index) : undefined;
  if (!e) throw new Error(`no entry ${index} in ${t?.id}`);
  return e;
};
const gaps = (rows: TreeRow[]) =>
  rows.filter((r) => r.kind === 'gap').map((r) => (r.kind === 'gap' ? `${r.from}-${r.to}` : ''));

const x86Image = (cr3: bigint, extra: Partial<X86Image> = {}): X86Image => ({
  arch: 'x86_64',
  levels: 4,
  maxphyaddr: 40,
  cr3,
  cr0Wp: true,
  cr4Smep: false,
  cr4Smap: false,
  cr4Pge: true,
  eferNxe: true,
  accesses: [],
  ...extra,
});

describe('imageTree on x86-64', () => {
  it('follows CR3 down to 4 KiB leaves, with VA ranges and gaps between present entries', () => {
    const { image, frames } = buildX86(4);
    const tree = imageTree(image, frames);
    expect(tree.roots.map((r) => r.register)).toEqual(['CR3']);
    const pml4 = tree.roots[0]?.table as TreeTable;
    expect(pml4.name).toBe('PML4');
    expect(entries(pml4).map((e) => e.index)).toEqual([0, 511]);
    expect(gaps(pml4.rows)).toEqual(['1-510']);
    // The kernel half is sign-extended: PML4 entry 511 covers the top 512 GiB.
    expect(entry(pml4, 511)).toMatchObject({ vaStart: '0xffffff8000000000', vaEnd: '0xffffffffffffffff' });
    const pt = entry(entry(entry(pml4, 0).child, 0).child, 3).child;
    expect(pt?.name).toBe('PT');
    const data = entry(pt, 2);
    expect(data).toMatchObject({
      role: 'leaf',
      vaStart: '0x602000',
      vaEnd: '0x602fff',
      note: '4 KiB page at 0x2c000',
    });
    expect(data.flags.find((f) => f.name === 'XD')?.value).toBe('1');
  });

  it('shows a 2 MiB and a 1 GiB page as leaves, and marks reserved entries', () => {
    const frames: ImageFrames = new Map();
    writeQword(frames, 1, 0, 0x2003n); // PML4[0] -> PDPT at 0x2000
    writeQword(frames, 2, 0, 0x3003n); // PDPT[0] -> PD at 0x3000
    writeQword(frames, 2, 8, 0x4000_0083n); // PDPT[1]: 1 GiB page at 0x40000000 (PS)
    writeQword(frames, 3, 0, 0x20_0083n); // PD[0]: 2 MiB page at 0x200000
    writeQword(frames, 3, 8, 0x20_1083n); // PD[1]: PS with bit 12 ok but bit 13 set -> reserved
    writeQword(frames, 3, 16, 0x40_2083n); // PD[2]: bit 13 set -> reserved alignment bits
    writeQword(frames, 3, 24, 0x2000_0000_5003n); // PD[3]: address bit 45 set, above MAXPHYADDR 40
    writeQword(frames, 3, 32, 0x7000n); // PD[4]: not present but not zero (a swap entry)
    const tree = imageTree(x86Image(0x1000n), frames);
    const pdpt = entry(tree.roots[0]?.table, 0).child;
    expect(entry(pdpt, 1)).toMatchObject({ role: 'leaf', note: '1 GiB page at 0x40000000', child: null });
    const pd = entry(pdpt, 0).child;
    expect(entry(pd, 0)).toMatchObject({ role: 'leaf', note: '2 MiB page at 0x200000', vaEnd: '0x1fffff' });
    expect(entry(pd, 2)).toMatchObject({ role: 'reserved', note: expect.stringMatching(/not aligned/) });
    expect(entry(pd, 3)).toMatchObject({ role: 'reserved', note: expect.stringMatching(/MAXPHYADDR/) });
    expect(entry(pd, 4)).toMatchObject({ role: 'invalid', note: 'not present (P=0)' });
    expect(gaps(pd?.rows ?? [])).toEqual(['5-511']);
  });

  it('cuts a loop and stops expanding at the row limit', () => {
    const frames: ImageFrames = new Map();
    writeQword(frames, 1, 0, 0x1003n); // PML4[0] points back at the PML4 itself
    const looped = imageTree(x86Image(0x1000n), frames);
    expect(entry(looped.roots[0]?.table, 0)).toMatchObject({
      child: null,
      cut: expect.stringMatching(/loop/),
    });

    const wide: ImageFrames = new Map();
    for (let i = 0; i < 512; i++) writeQword(wide, 1, i * 8, 0x2003n); // 512 pointers at one PDPT
    for (let i = 0; i < 512; i++) writeQword(wide, 2, i * 8, 0x3003n);
    const t = imageTree(x86Image(0x1000n), wide, 2000);
    expect(t.truncated).toBe(true);
    const cut = entries(t.roots[0]?.table as TreeTable).filter((e) => e.cut !== '');
    expect(cut.length).toBeGreaterThan(0);
  });
});

describe('imageTree on RISC-V', () => {
  it('follows satp through Sv39 with V-only pointers, marking misaligned superpages', () => {
    const { image, frames } = buildRiscv();
    const tree = imageTree(image, frames);
    expect(tree.roots[0]).toMatchObject({ register: 'satp' });
    const root = tree.roots[0]?.table as TreeTable;
    expect(root.name).toBe('level 2');
    // Sv39: entry 256 is the first of the upper half, 0xffffffc000000000.
    expect(entry(root, 256).vaStart).toBe('0xffffffc000000000');
    // A 2 MiB megapage at level 1, and one whose PPN[0] is not zero.
    writeQword(frames, 0x11, 8 * 10, encodePte({ ppn: 0x200n, r: true, w: true }));
    writeQword(frames, 0x11, 8 * 11, encodePte({ ppn: 0x201n, r: true }));
    writeQword(frames, 0x11, 8 * 12, encodePte({ ppn: 0x300n, w: true }));
    const vpn1 = entry(imageTree(image, frames).roots[0]?.table, 0).child;
    expect(entry(vpn1, 10)).toMatchObject({ role: 'leaf', note: '2 MiB page at 0x200000' });
    expect(entry(vpn1, 11)).toMatchObject({ role: 'reserved', note: expect.stringMatching(/misaligned/) });
    expect(entry(vpn1, 12)).toMatchObject({ role: 'reserved', note: expect.stringMatching(/W=1 without R/) });
  });
});

describe('imageTree on ARM64', () => {
  it('has one root per TTBR, the TTBR1 half starting at 0xffff000000000000', () => {
    const { image, frames } = buildArm();
    const tree = imageTree(image, frames);
    expect(tree.roots.map((r) => r.register)).toEqual(['TTBR0_EL1', 'TTBR1_EL1']);
    expect(tree.roots[1]?.covers).toBe('VAs 0xffff000000000000 to 0xffffffffffffffff');
    const l0 = tree.roots[1]?.table as TreeTable;
    expect(entries(l0).map((e) => e.index)).toEqual([511]);
    expect(entry(l0, 511).vaStart).toBe(
      '0xffff ff80 0000 0000'.replace(/ /g, '').replace(/^/, '0x').replace('0x0x', '0x'),
    );
  });

  it('shows blocks as leaves and marks reserved encodings', () => {
    const { image, frames } = buildArm();
    // TTBR0's L0 is at 0x10000 (TTBR1's at 0x11000), its L1 at 0x12000.
    writeQword(frames, 0x12, 8 * 1, encodeLeaf({ oa: 0x4000_0000n, ap: 1 }, 1)); // 1 GiB block
    writeQword(frames, 0x10, 8 * 5, 0x1n); // L0[5]: 0b01 at level 0 is not a block
    const tree = imageTree(image, frames);
    const l0 = tree.roots[0]?.table as TreeTable;
    expect(entry(l0, 5)).toMatchObject({ role: 'reserved', note: expect.stringMatching(/level 0/) });
    const l1t = entry(l0, 0).child;
    expect(l1t?.addr).toBe('0x12000');
    expect(entry(l1t, 1)).toMatchObject({ role: 'leaf', note: '1 GiB page at 0x40000000' });
    expect(entry(l1t, 0).flags.map((f) => f.name)).toContain('APTable');
  });

  it('sizes a start table by TxSZ: T0SZ 25 starts at level 1 with 512 entries, T0SZ 32 at level 1 with 4, T0SZ 36 at level 2 with 128', () => {
    const frames: ImageFrames = new Map();
    writeQword(frames, 0x10, 0, encodeTable(0x11000n));
    const base = buildArm().image;
    const t25 = imageTree({ ...base, t0sz: 25, ttbr0: 0x10000n }, frames).roots[0]?.table;
    expect(t25).toMatchObject({ name: 'L1', size: 512 });
    const t32 = imageTree({ ...base, t0sz: 32, ttbr0: 0x10000n }, frames).roots[0]?.table;
    expect(t32).toMatchObject({ name: 'L1', size: 4 });
    expect(gaps(t32?.rows ?? [])).toEqual(['1-3']);
    const t36 = imageTree({ ...base, t0sz: 36, ttbr0: 0x10000n }, frames).roots[0]?.table;
    expect(t36).toMatchObject({ name: 'L2', size: 128 });
  });
});
