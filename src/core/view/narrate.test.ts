// The narration of a shootdown's start says what actually happens under each mechanism.
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../events';
import { narrate } from './narrate';

const begin = (targets: number[], skipped: { core: number; why: string }[]): SimEvent => ({
  type: 'shootdown.begin',
  core: 0,
  pid: 1,
  targets,
  skipped,
  pages: 1,
  vas: ['0x7f0000001000'],
  full: false,
  freedTables: false,
  gen: 2,
  step: 1,
  tick: 0,
});

describe('narrate shootdown.begin', () => {
  it('names the IPI targets for Linux x86', () => {
    expect(narrate(begin([1, 2], []))).toBe('Shootdown: 1 page(s); IPIs to cores 1, 2 from mm_cpumask.');
  });

  it('says INVLPGB reaches the other cores in hardware, not that only the local TLB is flushed', () => {
    const why = 'INVLPGB reaches it without an interrupt';
    const text = narrate(
      begin(
        [],
        [
          { core: 1, why },
          { core: 2, why },
        ],
      ),
    );
    expect(text).toMatch(/INVLPGB .* cores 1, 2 in hardware/);
    expect(text).not.toMatch(/Only the local TLB/);
  });

  it('says a lazy core catches up later when it is skipped', () => {
    expect(narrate(begin([], [{ core: 1, why: 'lazy TLB mode' }]))).toMatch(/lazy core catches up/);
  });

  it('names the flush ceiling only when the page count made the flush full', () => {
    const over = { ...begin([1], []), pages: 40, full: true, ceiling: 33 } as SimEvent;
    expect(narrate(over)).toMatch(/full flush: more than the 33-page ceiling/);
    // A whole-mm flush of many pages (fork's flush_tlb_mm, or RISC-V) is not a ceiling decision.
    const whole = { ...begin([1], []), pages: 40, full: true } as SimEvent;
    expect(narrate(whole)).toMatch(/flush_tlb_mm/);
    expect(narrate(whole)).not.toMatch(/ceiling/);
  });
});

describe('narrate signal', () => {
  it('says the process ends, and that the model keeps its memory where Linux frees it', () => {
    const text = narrate({
      type: 'signal',
      tid: 3,
      signal: 'SIGSEGV',
      code: 'SEGV_MAPERR',
      va: '0x1000',
      step: 1,
      tick: 0,
    });
    expect(text).toContain('No VMA covers 0x1000: the kernel sends SIGSEGV (SEGV_MAPERR) to T3.');
    expect(text).toContain('It ends the process.');
    expect(text).toContain('exit_mmap');
    const accerr = narrate({
      type: 'signal',
      tid: 1,
      signal: 'SIGSEGV',
      code: 'SEGV_ACCERR',
      va: '0x7f0000000010',
      step: 1,
      tick: 0,
    });
    expect(accerr).toMatch(/^The VMA at 0x7f0000000010 does not allow this access/);
  });
});
