import { describe, expect, it } from 'vitest';
import { type ArchColumn, COMPARE_ARCHES, compareProbe } from './archCompare';
import { PROGRAM_ACCESSES, PROGRAM_PAGES, type Probe } from './archProgram';

const byArch = (cols: ArchColumn[], arch: string) => {
  const c = cols.find((x) => x.arch === arch);
  if (!c) throw new Error(`no column ${arch}`);
  return c;
};
const indices = (c: ArchColumn) =>
  c.split.filter((f) => f.role === 'index').map((f) => `${f.name}=${f.value}@${f.hi}:${f.lo}`);

describe('compareProbe: the VA split per architecture', () => {
  // 0x7f0000401123: bits 47:39 = 254, 38:30 = 0, 29:21 = 2, 20:12 = 1, offset 0x123.
  const cols = compareProbe({ va: 0x7f00_0040_1123n, kind: 'read', priv: 'user' });

  it('gives four columns in a fixed order', () => {
    expect(cols.map((c) => c.arch)).toEqual([...COMPARE_ARCHES]);
  });

  it('cuts x86-64 4-level as 9-9-9-9-12 and 5-level as 9-9-9-9-9-12', () => {
    expect(byArch(cols, 'x86_64-4').pattern).toBe('9-9-9-9-12');
    expect(indices(byArch(cols, 'x86_64-4'))).toEqual([
      'PML4=254@47:39',
      'PDPT=0@38:30',
      'PD=2@29:21',
      'PT=1@20:12',
    ]);
    expect(byArch(cols, 'x86_64-5').pattern).toBe('9-9-9-9-9-12');
    expect(indices(byArch(cols, 'x86_64-5'))[0]).toBe('PML5=0@56:48');
  });

  it('cuts Sv39 as 9-9-9-12 and rejects a VA whose bits 63:39 do not copy bit 38', () => {
    const rv = byArch(cols, 'riscv64-sv39');
    expect(indices(rv)).toEqual(['VPN[2]=0@38:30', 'VPN[1]=2@29:21', 'VPN[0]=1@20:12']);
    expect(rv.walk).toHaveLength(0);
    expect(rv.outcome).toMatchObject({ ok: false, fault: expect.stringContaining('scause 13') });
  });

  it('cuts ARM64 as L0..L3 with the top bits choosing TTBR0 or TTBR1', () => {
    const arm = byArch(cols, 'arm64-4k');
    expect(indices(arm)).toEqual(['L0=254@47:39', 'L1=0@38:30', 'L2=2@29:21', 'L3=1@20:12']);
    expect(arm.upperNote).toMatch(/TTBR0/);
    const kernel = byArch(
      compareProbe({ va: 0xffff_ffc0_0020_1000n, kind: 'read', priv: 'kernel' }),
      'arm64-4k',
    );
    expect(kernel.upperNote).toMatch(/TTBR1/);
    expect(kernel.walk[0]?.tableAddr).not.toBe(arm.walk[0]?.tableAddr);
  });

  it('colours a field by its depth above the last table, the same bits in every column', () => {
    for (const c of cols) {
      for (const f of c.split.filter((x) => x.role === 'index')) expect(f.lo).toBe(12 + 9 * f.depth);
    }
  });
});

describe('compareProbe: the program on four MMUs', () => {
  it('translates every access to a mapped page to the same PA on all four', () => {
    for (const a of PROGRAM_ACCESSES) {
      const cols = compareProbe(a);
      const page = PROGRAM_PAGES.find((p) => p.va === (a.va & ~0xfffn));
      const oks = cols.filter((c) => c.outcome.ok);
      if (oks.length === 0) continue;
      expect(oks).toHaveLength(4);
      const pas = new Set(oks.map((c) => (c.outcome.ok ? c.outcome.pa : '')));
      expect([...pas]).toEqual([`0x${((page?.pa ?? 0n) | (a.va & 0xfffn)).toString(16)}`]);
    }
  });

  it('walks 4, 5, 3 and 4 levels to a 4 KiB page', () => {
    const cols = compareProbe(PROGRAM_ACCESSES[1] as Probe);
    expect(cols.map((c) => c.walk.length)).toEqual([4, 5, 3, 4]);
    expect(cols.map((c) => c.walk.at(-1)?.role)).toEqual(['leaf', 'leaf', 'leaf', 'leaf']);
  });

  it("reports a user write to read-only data in each architecture's terms", () => {
    const cols = compareProbe({ va: 0x50_3008n, kind: 'write', priv: 'user' });
    const faults = cols.map((c) => (c.outcome.ok ? 'ok' : c.outcome.fault));
    // x86: P (protection), W, U = 0x7 (SDM 4.7); RISC-V: store/AMO page fault, cause 15; ARM:
    // permission fault at level 3, ESR data abort from EL0 (EC 0x24) with WnR and DFSC 0b001111.
    expect(faults[0]).toMatch(/^#PF, error code 0x7 \(P W U\)/);
    expect(faults[1]).toMatch(/^#PF, error code 0x7/);
    expect(faults[2]).toMatch(/scause 15/);
    expect(faults[3]).toMatch(/^permission fault, level 3 · ESR_EL1 0x9200004f/);
  });

  it('reports an unmapped read as not present / load page fault / translation fault at level 3', () => {
    const cols = compareProbe({ va: 0x70_0000n, kind: 'read', priv: 'user' });
    const faults = cols.map((c) => (c.outcome.ok ? 'ok' : c.outcome.fault));
    expect(faults[0]).toMatch(/error code 0x4 \(U\)/);
    expect(faults[2]).toMatch(/load page fault \(scause 13\)/);
    expect(faults[3]).toMatch(/^translation fault, level 3/);
  });

  it('faults a user fetch from data: XD, X=0, UXN', () => {
    const cols = compareProbe({ va: 0x60_2000n, kind: 'fetch', priv: 'user' });
    expect(cols[0]?.outcome).toMatchObject({ ok: false, fault: expect.stringMatching(/0x15 \(P U I\)/) });
    expect(cols[2]?.outcome).toMatchObject({ ok: false, fault: expect.stringMatching(/scause 12/) });
    expect(cols[3]?.outcome).toMatchObject({ ok: false, detail: expect.stringMatching(/UXN/) });
  });

  it('stops the kernel reading user data: SMAP, SUM=0, PAN', () => {
    const cols = compareProbe({ va: 0x60_2010n, kind: 'read', priv: 'kernel' });
    expect(cols.every((c) => !c.outcome.ok)).toBe(true);
    expect(cols[0]?.outcome).toMatchObject({ detail: expect.stringMatching(/SMAP/) });
    expect(cols[2]?.outcome).toMatchObject({ detail: expect.stringMatching(/SUM=0/) });
    expect(cols[3]?.outcome).toMatchObject({ detail: expect.stringMatching(/PAN/) });
  });

  it('raises #GP, not #PF, for a non-canonical x86 address', () => {
    const cols = compareProbe({ va: 0x0080_0000_0000_0000n, kind: 'read', priv: 'user' });
    expect(cols[0]?.outcome).toMatchObject({ ok: false, fault: expect.stringMatching(/^#GP/) });
    // Canonical with 57 bits: the 5-level walk reads its PML5 and finds nothing there.
    expect(cols[1]?.walk[0]?.table).toBe('PML5');
  });

  it("decodes entries under each architecture's own flag names", () => {
    const cols = compareProbe(PROGRAM_ACCESSES[0] as Probe);
    const names = cols.map((c) => c.walk.at(-1)?.flags.map((f) => f.name) ?? []);
    expect(names[0]).toEqual(expect.arrayContaining(['P', 'RW', 'US', 'A', 'D', 'XD']));
    expect(names[2]).toEqual(['V', 'R', 'W', 'X', 'U', 'G', 'A', 'D']);
    expect(names[3]).toEqual(expect.arrayContaining(['valid', 'page', 'AF', 'AP', 'UXN', 'PXN', 'nG']));
    // User code: x86 XD=0, RISC-V X=1, ARM UXN=0 (and PXN=1: the kernel never runs user code).
    const flag = (i: number, n: string) => cols[i]?.walk.at(-1)?.flags.find((f) => f.name === n)?.value;
    expect([flag(0, 'XD'), flag(2, 'X'), flag(3, 'UXN'), flag(3, 'PXN')]).toEqual(['0', '1', '0', '1']);
  });
});
