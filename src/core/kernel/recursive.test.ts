import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelIndex } from '../arch/x86_64/pte';
import { newWalkOut, readEntry, walkPageTable, type WalkLevel } from '../arch/x86_64/walk';
import { readWord } from '../mem/physmem';
import type { ScenarioSpec } from '../spec';
import { createMachine } from './build';
import { canonical48, SELF_MAP_DEPTH, selfMapVa, selfMapVas } from './recursive';

describe('selfMapVa', () => {
  it("reproduces 64-bit Windows' fixed self-map addresses (slot 0x1ED, before 1607)", () => {
    const base = selfMapVas(0n, 0x1ed);
    expect(base.pte).toBe(0xfffff68000000000n);
    expect(base.pde).toBe(0xfffff6fb40000000n);
    expect(base.pdpte).toBe(0xfffff6fb7da00000n);
    expect(base.pml4e).toBe(0xfffff6fb7dbed000n);
    // The self-map entry itself: the PML4E of an address inside the PML4 window.
    expect(selfMapVa(0xfffff6fb7dbed000n, 0x1ed, 'pml4e')).toBe(0xfffff6fb7dbedf68n);
  });

  it('the PTE of a user address with slot 510', () => {
    // 0x7f0000001000: PML4 254, PDPT 0, PD 0, PT 1 -> 510|254|0|0, offset 8.
    expect(selfMapVa(0x7f0000001000n, 510, 'pte')).toBe(0xffffff3f80000008n);
    expect(selfMapVa(0x7f0000001000n, 510, 'pde')).toBe(0xffffff7f9fc00000n);
  });

  it('is canonical and 8-byte aligned, and its index fields are the slot then the VA indices', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }),
        fc.integer({ min: 256, max: 510 }),
        fc.constantFrom('pte', 'pde', 'pdpte', 'pml4e' as const),
        (raw, slot, level) => {
          const va = canonical48(raw);
          const e = selfMapVa(va, slot, level);
          expect(e & 7n).toBe(0n);
          expect(canonical48(e)).toBe(e);
          const n = SELF_MAP_DEPTH[level];
          const vpn = Number((va >> 12n) & ((1n << 36n) - 1n));
          const evpn = Number((e >> 12n) & ((1n << 36n) - 1n));
          // Walk indices of the entry's address, top level first.
          const got = [4, 3, 2, 1].map((l) => levelIndex(evpn, l));
          const want = [4, 3, 2, 1].map((l, i) => (i < n ? slot : levelIndex(vpn, l + n)));
          expect(got).toEqual(want);
          // The offset is the index of the wanted entry in its table, times 8.
          expect(Number(e & 0xfffn)).toBe(levelIndex(vpn, n) * 8);
        },
      ),
    );
  });
});

describe('a walk through the recursive slot', () => {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: {
      cores: 1,
      frames: 64,
      tlb: { sets: 4, ways: 2 },
      protocol: 'linux-x86',
      kernelHalf: true,
      recursiveSlot: 510,
    },
    processes: [
      {
        pid: 1,
        name: 'p',
        vmas: [{ start: '0x7f0000001000', pages: 2, prot: 'rw', populate: true }],
      },
    ],
    threads: [{ tid: 0, pid: 1, core: 0, program: [] }],
    keyMoments: [],
  };

  it('reads exactly each paging entry of the address; the walk reads the PML4 frame once per loop, plus once as itself', () => {
    const r = createMachine(spec);
    if (!r.ok) throw new Error(r.error);
    const m = r.machine;
    const root = m.procs[0]?.rootPfn ?? -1;
    for (const va of [0x7f0000001000n, 0x7f0000002000n, 0xffffffff81002000n]) {
      const vpn = Number((va >> 12n) & 0xfffffffffn);
      // The real walk, to know each entry and the table holding it.
      const real: WalkLevel[] = [];
      walkPageTable(m.mem, root, vpn, 'read', false, m.ctl, newWalkOut(), real, false);
      for (const level of ['pte', 'pde', 'pdpte', 'pml4e'] as const) {
        const n = SELF_MAP_DEPTH[level];
        const at = real.find((l) => l.level === n);
        if (!at) throw new Error('no entry');
        const e = selfMapVa(va, 510, level);
        const trace: WalkLevel[] = [];
        const out = newWalkOut();
        const evpn = Number((e >> 12n) & 0xfffffffffn);
        expect(walkPageTable(m.mem, root, evpn, 'read', false, m.ctl, out, trace, false)).toBe(true);
        expect(trace.filter((l) => l.tablePfn === root)).toHaveLength(Math.min(n + 1, 4));
        expect(trace.slice(0, n).every((l) => l.index === 510)).toBe(true);
        expect(out.pfn).toBe(at.tablePfn);
        const off = Number(e & 0xfffn);
        const [lo, hi] = readEntry(m.mem, at.tablePfn, at.index);
        expect(readWord(m.mem, out.pfn, off >>> 2)).toBe(lo);
        expect(readWord(m.mem, out.pfn, (off >>> 2) + 1)).toBe(hi);
      }
    }
  });

  it('is supervisor-only: a user-mode read through it is a protection fault', () => {
    const r = createMachine(spec);
    if (!r.ok) throw new Error(r.error);
    const m = r.machine;
    const e = selfMapVa(0x7f0000001000n, 510, 'pte');
    const out = newWalkOut();
    const ok = walkPageTable(
      m.mem,
      m.procs[0]?.rootPfn ?? -1,
      Number((e >> 12n) & 0xfffffffffn),
      'read',
      true,
      m.ctl,
      out,
      null,
      false,
    );
    expect(ok).toBe(false);
    expect(out.fault).toBe('protection');
  });
});
