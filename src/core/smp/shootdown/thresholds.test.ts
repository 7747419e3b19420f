// Where ARM64 and RISC-V switch from per-page invalidation to the whole ASID: arm64's
// MAX_TLBI_OPS (512 pages, arch/arm64/include/asm/tlbflush.h) and riscv's
// tlb_flush_all_threshold (more than 64 pages, arch/riscv/mm/tlbflush.c).
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../../engine/step';
import type { SimEvent } from '../../events';
import { createMachine } from '../../kernel/build';
import type { Protocol, ScenarioSpec } from '../../spec';
import { tlbiOpFor } from './armBroadcast';

/** T1 on core 1 caches the first page of `pages`; T0 then unmaps them all. */
function unmap(protocol: Protocol, pages: number): SimEvent[] {
  const spec: ScenarioSpec = {
    id: 'threshold',
    title: 'threshold',
    summary: '',
    seed: 1,
    machine: { cores: 3, frames: 1200, tlb: { sets: 4, ways: 2 }, protocol },
    processes: [
      {
        pid: 1,
        name: 'app',
        vmas: [
          { start: '0x7f0000000000', pages: 1, prot: 'rw', populate: true },
          { start: '0x7f0000200000', pages, prot: 'rw', populate: true },
        ],
      },
    ],
    threads: [
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'wait', flag: 'cached' },
          { op: 'munmap', va: '0x7f0000200000', pages },
          { op: 'signal', flag: 'done' },
        ],
      },
      {
        tid: 1,
        pid: 1,
        core: 1,
        program: [
          { op: 'read', va: '0x7f0000200008' },
          { op: 'signal', flag: 'cached' },
          { op: 'wait', flag: 'done' },
        ],
      },
    ],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const ev = runToEnd(r.machine);
  expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  return ev;
}

describe('whole-ASID thresholds', () => {
  it('ARM64: VALE1IS per page, VAE1IS when tables are freed, ASIDE1IS for the mm or from 512 pages', () => {
    const vpns = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(tlbiOpFor({ full: false, vpns: vpns(511), freedTables: false })).toBe('VALE1IS');
    expect(tlbiOpFor({ full: false, vpns: vpns(3), freedTables: true })).toBe('VAE1IS');
    expect(tlbiOpFor({ full: false, vpns: vpns(512), freedTables: false })).toBe('ASIDE1IS');
    expect(tlbiOpFor({ full: true, vpns: vpns(1), freedTables: false })).toBe('ASIDE1IS');
    // A 512-page munmap: one ASIDE1IS, completed on both other cores.
    const ev = unmap('arm-broadcast', 512);
    const tlbi = ev.filter((e) => e.type === 'tlbi');
    expect(tlbi).toHaveLength(1);
    expect(tlbi[0]).toMatchObject({ op: 'ASIDE1IS', pages: 512, reaches: [1, 2] });
    expect(ev.filter((e) => e.type === 'tlbi.remote').map((e) => 'core' in e && e.core)).toEqual([1, 2]);
  });

  it('RISC-V: 64 pages are fenced one by one on each hart, 65 as the whole ASID', () => {
    const fences = (ev: SimEvent[], core: number) =>
      ev.flatMap((e) => (e.type === 'tlb.invalidate' && e.core === core ? [e.scope] : []));
    const at64 = unmap('riscv-sbi', 64);
    expect(at64.find((e) => e.type === 'sbi.ecall')).toMatchObject({
      pages: 64,
      whole: false,
      harts: [0, 1],
    });
    expect(fences(at64, 1)).toEqual(Array(64).fill('page'));
    const at65 = unmap('riscv-sbi', 65);
    expect(at65.find((e) => e.type === 'sbi.ecall')).toMatchObject({ pages: 65, whole: true });
    expect(fences(at65, 0)).toEqual(['asid']);
    expect(fences(at65, 1)).toEqual(['asid']);
  });
});
