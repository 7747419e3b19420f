// flush_tlb_kernel_range as a protocol: whatever the number of cores, which of them cached the
// kernel pages, and how many pages, a vunmap interrupts every other core, no TLB keeps the pages,
// the frames are freed only after the last ack, and the monitor never sees a stale entry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMachine } from '../kernel/build';
import { runToEnd } from '../engine/step';
import type { OpSpec, ScenarioSpec, ThreadSpec } from '../spec';
import { coreTlbEntries } from '../tlb/machineTlb';

const BASE = 0xffffffffc0000000n;

describe('flush_tlb_kernel_range', () => {
  it('reaches every core and frees the pages only after the acks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 4 }),
        (cores, readers, pages, initiatorPick) => {
          const initiator = initiatorPick % cores;
          const va = `0x${BASE.toString(16)}`;
          const last = `0x${(BASE + BigInt(pages - 1) * 4096n).toString(16)}`;
          const threads: ThreadSpec[] = [];
          for (let c = 0; c < cores; c++) {
            const program: OpSpec[] = [];
            if (c === initiator) program.push({ op: 'vmalloc', va, pages }, { op: 'signal', flag: 'mapped' });
            else program.push({ op: 'wait', flag: 'mapped' });
            if (readers[c]) program.push({ op: 'kread', va }, { op: 'kread', va: last });
            program.push({ op: 'signal', flag: `read${c}` });
            if (c === initiator) {
              for (let o = 0; o < cores; o++) program.push({ op: 'wait', flag: `read${o}` });
              program.push({ op: 'vunmap', va, pages });
            }
            threads.push({ tid: c, pid: 1 + (c % 2), core: c, program });
          }
          const spec: ScenarioSpec = {
            id: 't',
            title: 't',
            summary: '',
            seed: 7,
            machine: {
              cores,
              frames: 160,
              tlb: { sets: 8, ways: 2 },
              protocol: 'linux-x86',
              kernelHalf: true,
            },
            processes: [
              { pid: 1, name: 'a', vmas: [] },
              { pid: 2, name: 'b', vmas: [] },
            ],
            threads,
            keyMoments: [],
          };
          const r = createMachine(spec);
          if (!r.ok) throw new Error(r.error);
          const m = r.machine;
          const ev = runToEnd(m);
          const others = [...Array(cores).keys()].filter((c) => c !== initiator);
          const sent = ev.flatMap((e) => (e.type === 'ipi.sent' ? [e.to] : []));
          expect(sent).toEqual(others);
          const lastAck = ev.map((e) => e.type).lastIndexOf('ipi.acked');
          const frees = ev.flatMap((e, i) => (e.type === 'frame.free' && e.pid === -1 ? [i] : []));
          expect(frees).toHaveLength(pages);
          for (const i of frees) expect(i).toBeGreaterThan(lastAck);
          const first = Number((BASE >> 12n) & 0xfffffffffffffn);
          for (const c of m.cores) {
            expect(coreTlbEntries(c.tlb).some((e) => e.pageVpn >= first && e.pageVpn < first + pages)).toBe(
              false,
            );
          }
          const full = ev.find((e) => e.type === 'kernel.flush');
          expect(full?.type === 'kernel.flush' && full.full).toBe(pages > 33);
          expect(m.stats.violations).toBe(0);
        },
      ),
      { numRuns: 30 },
    );
  });
});
