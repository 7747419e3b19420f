// Lesson swap-out-in: what it teaches, checked on its own run.
import { describe, expect, it } from 'vitest';
import { decodeSwapEntry } from '../core/arch/x86_64/swapEntry';
import { createMachine } from '../core/kernel/build';
import { checkSwapInvariants } from '../core/kernel/swapCheck';
import { step } from '../core/engine/step';
import type { SimEvent } from '../core/events';
import { narrate } from '../core/view/narrate';
import { swapOutIn } from './builtin/swapOutIn';

function run(): SimEvent[] {
  const b = createMachine(swapOutIn);
  if (!b.ok) throw new Error(b.error);
  const m = b.machine;
  const ev: SimEvent[] = [];
  while (!m.done) {
    for (const e of step(m)) ev.push(e);
    // The swap bookkeeping agrees with the page tables after every step.
    expect(checkSwapInvariants(m)).toBeNull();
  }
  expect(m.stats.violations).toBe(0);
  return ev;
}

describe('lesson swap-out-in', () => {
  const ev = run();
  const idx = (pred: (e: SimEvent) => boolean) => ev.findIndex(pred);

  it('clock clears the A bits of both pages before it takes A (second chance)', () => {
    const scans = ev.filter((e) => e.type === 'reclaim.scan').slice(0, 3);
    expect(scans.map((e) => e.type === 'reclaim.scan' && e.young)).toEqual([true, true, false]);
    const victim = ev.find((e) => e.type === 'reclaim.victim');
    expect(victim).toMatchObject({ vas: ['0x7f0000000000'], slot: 0, hadCopy: false });
  });

  it("A's frame is freed only after core 1 acked the flush and the page was written", () => {
    const victim = ev.find((e) => e.type === 'reclaim.victim');
    const pfn = victim?.type === 'reclaim.victim' ? victim.pfn : -1;
    const ack = idx((e) => e.type === 'ipi.acked' && e.from === 1);
    const out = idx((e) => e.type === 'swap.out');
    const free = idx((e) => e.type === 'frame.free' && e.pfn === pfn);
    expect(ack).toBeGreaterThan(0);
    expect(out).toBeGreaterThan(ack);
    expect(free).toBeGreaterThan(out);
  });

  it('the swap entry names slot 0, and reading A back gives 11 from a new frame', () => {
    const pte = ev.find(
      (e) => e.type === 'pte.write' && e.va === '0x7f0000000000' && e.new.startsWith('0x07'),
    );
    const v = pte?.type === 'pte.write' ? BigInt(pte.new) : 0n;
    expect(decodeSwapEntry(Number(v & 0xffffffffn), Number(v >> 32n))).toMatchObject({ offset: 0 });
    const reads = ev.filter((e) => e.type === 'access.done' && e.kind === 'read');
    expect(reads.map((e) => e.type === 'access.done' && e.value)).toEqual([11, 11, 22, 33]);
  });

  it('three pages written, one clean page dropped: the disk saw three writes', () => {
    const outs = ev.filter((e) => e.type === 'swap.out');
    expect(outs.map((e) => e.type === 'swap.out' && [e.slot, e.dirty])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [0, false],
    ]);
  });

  it('narrates the drop as no write, and the second chance as an A bit cleared without a flush', () => {
    const drop = ev.find((e) => e.type === 'swap.out' && !e.dirty);
    expect(drop && narrate(drop)).toMatch(/without a write/);
    const young = ev.find((e) => e.type === 'reclaim.scan' && e.young);
    expect(young && narrate(young)).toMatch(/second chance.*without a TLB flush/);
  });
});
