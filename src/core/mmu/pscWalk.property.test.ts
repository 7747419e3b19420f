// Property: with paging-structure caches, every translation equals a fresh walk of the tables in
// memory, unless an upper-level entry it depends on was changed and no invalidation that empties
// the PSC entries of that PCID (INVLPG, MOV to CR3 without bit 63, INVPCID 1/2/3, a PGE toggle)
// has run since. Per-address invalidations (INVPCID 0, a #PF) are not counted as settling a change:
// they leave the entries of the other regions under a changed upper entry (SDM 4.10.4.1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEntry } from '../arch/x86_64/pte';
import { DEFAULT_CONTROL, newWalkOut, walkPageTable, writeEntry } from '../arch/x86_64/walk';
import { createPhysMem } from '../mem/physmem';
import { createHierarchy } from '../tlb/hierarchy';
import { cr4PgeToggle, type InvpcidType, invlpg, invpcid, movToCr3 } from '../tlb/invalidate';
import { TEACHING_PRESET } from '../tlb/presets';
import { createPsc, pscKey } from '../tlb/psc';
import { walkWithPsc } from './pscWalk';

const ctl = { ...DEFAULT_CONTROL };
const SPAN = [0, 1, 512, 512 ** 2, 512 ** 3];
/** Two entries per table at every level: 16 pages over 2 PML4Es, 4 PDPTEs, 8 PDEs. */
const vpnOf = (i: number, j: number, k: number, l: number) => i * SPAN[4]! + j * SPAN[3]! + k * SPAN[2]! + l;
const bit = fc.integer({ min: 0, max: 1 });
const vpnArb = fc.tuple(bit, bit, bit, bit).map(([i, j, k, l]) => vpnOf(i, j, k, l));
const pcidArb = fc.integer({ min: 1, max: 2 });

type Op =
  | { t: 'walk'; vpn: number; pcid: number; write: boolean; user: boolean }
  | { t: 'change'; level: 2 | 3 | 4; vpn: number; how: 'clear' | 'repoint' | 'rw' | 'us' | 'nx' }
  | { t: 'pte'; vpn: number; how: 'clear' | 'rw' }
  | { t: 'invlpg'; pcid: number; vpn: number }
  | { t: 'invpcid'; type: InvpcidType; pcid: number; vpn: number }
  | { t: 'cr3'; pcid: number; noFlush: boolean }
  | { t: 'pge' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('walk' as const),
      vpn: vpnArb,
      pcid: pcidArb,
      write: fc.boolean(),
      user: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('change' as const),
      level: fc.constantFrom<2 | 3 | 4>(2, 3, 4),
      vpn: vpnArb,
      how: fc.constantFrom<'clear' | 'repoint' | 'rw' | 'us' | 'nx'>('clear', 'repoint', 'rw', 'us', 'nx'),
    }),
  },
  fc.record({
    t: fc.constant('pte' as const),
    vpn: vpnArb,
    how: fc.constantFrom<'clear' | 'rw'>('clear', 'rw'),
  }),
  fc.record({ t: fc.constant('invlpg' as const), pcid: pcidArb, vpn: vpnArb }),
  fc.record({
    t: fc.constant('invpcid' as const),
    type: fc.constantFrom<InvpcidType>(0, 1, 2, 3),
    pcid: pcidArb,
    vpn: vpnArb,
  }),
  fc.record({ t: fc.constant('cr3' as const), pcid: pcidArb, noFlush: fc.boolean() }),
  fc.record({ t: fc.constant('pge' as const) }),
);

// Frames: PML4 1; PDPTs 2-3; PDs 4-7; PTs 8-15; spare tables 16-19 (one per level below the
// root, so a repointed entry leads somewhere valid); data from 100.
function build() {
  const mem = createPhysMem(1024);
  const e = (pfn: number) => encodeEntry({ pfn, rw: true, us: true, a: true });
  const put = (table: number, index: number, pfn: number) => {
    const [lo, hi] = e(pfn);
    writeEntry(mem, table, index, lo, hi);
  };
  for (let i = 0; i < 2; i++) {
    put(1, i, 2 + i);
    for (let j = 0; j < 2; j++) {
      put(2 + i, j, 4 + i * 2 + j);
      for (let k = 0; k < 2; k++) {
        put(4 + i * 2 + j, k, 8 + i * 4 + j * 2 + k);
        for (let l = 0; l < 2; l++)
          put(8 + i * 4 + j * 2 + k, l, 100 + vpnOf(0, 0, 0, 0) + i * 8 + j * 4 + k * 2 + l);
      }
    }
  }
  // Spares: a PDPT (19) -> PDs 4,5; a PD (18) -> PTs 9,8; PTs 16/17 -> data 200+.
  put(19, 0, 4);
  put(19, 1, 5);
  put(18, 0, 9);
  put(18, 1, 8);
  for (let l = 0; l < 2; l++) {
    put(16, l, 200 + l);
    put(17, l, 210 + l);
  }
  return mem;
}

/** Table and index of the entry at `level` for `vpn` (following memory as it is now). */
function slot(
  mem: ReturnType<typeof build>,
  vpn: number,
  level: number,
): { table: number; index: number } | null {
  let table = 1;
  for (let lv = 4; lv > level; lv--) {
    const w = mem.frames[table];
    const idx = Math.floor(vpn / SPAN[lv]!) & 511;
    const lo = w?.[idx * 2] ?? 0;
    if ((lo & 1) === 0 || (lo & 0x80) !== 0) return null;
    table = ((w?.[idx * 2 + 1] ?? 0) & 0xfffff) * 0x100000 + (lo >>> 12);
  }
  return { table, index: Math.floor(vpn / SPAN[level]!) & 511 };
}

const SPARE: Record<number, number> = { 4: 19, 3: 18, 2: 16 };

describe('paging-structure caches (property)', () => {
  it('a translation equals a fresh walk unless a changed upper entry awaits a PCID-wide invalidation', () => {
    let compared = 0;
    let skippedReads = 0;
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (ops, pde) => {
          const mem = build();
          const r = createHierarchy(TEACHING_PRESET, 1);
          if (!r.ok) throw new Error(r.error);
          const h = r.h;
          const psc = createPsc({ pml4: 1, pdpt: 2, pde });
          h.psc = psc;
          // Changed upper entries not yet settled, per PCID: (level, key).
          const pending: { pcid: number; level: number; key: number }[] = [];
          const settle = (pcid: number | null) => {
            for (let i = pending.length - 1; i >= 0; i--)
              if (pcid === null || pending[i]!.pcid === pcid) pending.splice(i, 1);
          };
          for (const op of ops) {
            switch (op.t) {
              case 'walk': {
                const fresh = newWalkOut();
                const kind = op.write ? 'write' : 'read';
                walkPageTable(mem, 1, op.vpn, kind, op.user, ctl, fresh, null, false);
                const out = newWalkOut();
                walkWithPsc(
                  { mem, ctl },
                  { id: 0, pcid: op.pcid, cr3Pfn: 1 },
                  psc,
                  op.vpn,
                  kind,
                  op.user,
                  out,
                  null,
                );
                skippedReads += psc.lastSkipped;
                const stale = pending.some((p) => p.pcid === op.pcid && pscKey(op.vpn, p.level) === p.key);
                if (stale) break;
                compared++;
                const pick = (o: typeof out) => ({
                  ok: o.ok,
                  fault: o.fault,
                  errorCode: o.errorCode,
                  pfn: o.ok ? o.pfn : -1,
                  rw: o.ok && o.rw,
                  us: o.ok && o.us,
                  nx: o.ok && o.nx,
                });
                expect(pick(out)).toEqual(pick(fresh));
                break;
              }
              case 'change': {
                const s = slot(mem, op.vpn, op.level);
                if (!s) break;
                const w = mem.frames[s.table] as Uint32Array;
                let lo = w[s.index * 2] as number;
                let hi = w[s.index * 2 + 1] as number;
                if (op.how === 'clear') lo = hi = 0;
                else if (op.how === 'repoint') {
                  [lo, hi] = encodeEntry({ pfn: SPARE[op.level]!, rw: true, us: true, a: true });
                } else if (op.how === 'rw') lo ^= 2;
                else if (op.how === 'us') lo ^= 4;
                else hi = (hi ^ 0x80000000) >>> 0;
                writeEntry(mem, s.table, s.index, lo, hi);
                for (const pcid of [1, 2])
                  pending.push({ pcid, level: op.level, key: pscKey(op.vpn, op.level) });
                break;
              }
              case 'pte': {
                // Leaf entries are never in a PSC: no invalidation is owed to the PSC for them.
                const s = slot(mem, op.vpn, 1);
                if (!s) break;
                const w = mem.frames[s.table] as Uint32Array;
                const lo = w[s.index * 2] as number;
                writeEntry(
                  mem,
                  s.table,
                  s.index,
                  op.how === 'clear' ? 0 : lo ^ 2,
                  op.how === 'clear' ? 0 : (w[s.index * 2 + 1] as number),
                );
                break;
              }
              case 'invlpg':
                invlpg(h, op.vpn, op.pcid);
                settle(op.pcid);
                break;
              case 'invpcid':
                invpcid(h, op.type, op.pcid, op.vpn);
                if (op.type === 1) settle(op.pcid);
                else if (op.type !== 0) settle(null);
                break;
              case 'cr3':
                movToCr3(h, op.pcid, op.noFlush);
                if (!op.noFlush) settle(op.pcid);
                break;
              case 'pge':
                cr4PgeToggle(h);
                settle(null);
                break;
            }
          }
        },
      ),
      { numRuns: 400 },
    );
    // The property must really compare, and really go through the caches.
    expect(compared).toBeGreaterThan(300);
    expect(skippedReads).toBeGreaterThan(50);
  });
});
