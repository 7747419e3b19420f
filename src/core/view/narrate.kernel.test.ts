// Narration of the kernel address-space events: exact values, the real mechanism's name.
import { describe, expect, it } from 'vitest';
import type { EventBody, SimEvent } from '../events';
import { narrate } from './narrate';

const say = (e: EventBody) => narrate({ ...e, step: 1, tick: 0 } as SimEvent);

describe('kernel address-space narration', () => {
  it('a KPTI CR3 write names the PGD, the PCID and whether it flushes', () => {
    const entry = say({
      type: 'cr3.write',
      core: 0,
      pid: 1,
      cr3: '0x8000000000002001',
      pcid: 1,
      noflush: true,
      table: 'kernel',
      pgd: 2,
      removed: 0,
      why: '',
    });
    expect(entry).toContain('SWITCH_TO_KERNEL_CR3');
    expect(entry).toContain('0x8000000000002001');
    expect(entry).toContain('no flush');
    const exit = say({
      type: 'cr3.write',
      core: 0,
      pid: 1,
      cr3: '0x3801',
      pcid: 0x801,
      noflush: false,
      table: 'user',
      pgd: 3,
      removed: 2,
      why: '',
    });
    expect(exit).toContain('SWITCH_TO_USER_CR3');
    expect(exit).toContain('(1 | 0x800)');
    expect(exit).toContain('2 entries removed');
  });

  it('the self-map address says how many times the walk loops and that Linux has no such slot', () => {
    const s = say({
      type: 'selfmap.va',
      core: 0,
      of: '0x7f0000001010',
      level: 'pde',
      entryVa: '0xffffff7f9fc00000',
      slot: 510,
    });
    expect(s).toContain('PDE that translates 0x7f0000001010');
    expect(s).toContain('0xffffff7f9fc00000');
    expect(s).toContain('2 times');
    expect(s).not.toMatch(/Linux/);
    const p = say({
      type: 'selfmap.va',
      core: 0,
      of: '0x7f0000001010',
      level: 'pte',
      entryVa: '0xffffff3f80000008',
      slot: 510,
    });
    expect(p).toContain('once');
    expect(p).toMatch(/Linux x86-64 has no such slot/);
    expect(p).toContain('0xFFFFF68000000000');
    expect(
      say({ type: 'access.done', core: 0, tid: 0, va: '0x1', pa: '0x1', kind: 'read', value: 0xd067 }),
    ).toContain('value 53351 = 0xd067');
  });

  it('a kernel flush names on_each_cpu and every target; a new mapping says why no flush is needed', () => {
    expect(say({ type: 'kernel.flush', core: 1, targets: [0, 2], pages: 1, vas: [], full: false })).toMatch(
      /every other online core \(cores 0, 2\).*on_each_cpu/,
    );
    expect(
      say({ type: 'kernel.map', core: 0, va: '0xffffffffc0000000', pages: 1, pdpt: 3, ok: true }),
    ).toMatch(/No TLB flush and no IPI: a not-present entry is never cached/);
    expect(say({ type: 'ipi.received', core: 2, from: 1, handler: 'do_kernel_range_flush' })).toContain(
      'runs do_kernel_range_flush',
    );
    expect(say({ type: 'ipi.received', core: 2, from: 1 })).toContain('runs flush_tlb_func');
  });
});
