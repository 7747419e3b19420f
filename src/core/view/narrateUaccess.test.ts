// Narration of the kernel touching user memory names the mechanism and says no more than happened.
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../events';
import { narrate } from './narrate';

const at = { step: 1, tick: 0 };

describe('uaccess narration', () => {
  it('STAC and CLAC name EFLAGS.AC and SMAP, and CLAC reports what was not copied', () => {
    expect(
      narrate({ ...at, type: 'uaccess.open', core: 0, tid: 0, fn: 'copy_from_user', va: '0x1000', len: 8 }),
    ).toMatch(/STAC \(EFLAGS\.AC = 1\).*SMAP/);
    expect(
      narrate({
        ...at,
        type: 'uaccess.close',
        core: 0,
        tid: 0,
        fn: 'copy_from_user',
        copied: 4,
        notCopied: 4,
      }),
    ).toMatch(/CLAC.*returns 4, the bytes it did not copy/);
  });

  it('the exception-table lookup shows the instruction and, when found, the fixup; not found leads to an oops', () => {
    const found: SimEvent = {
      ...at,
      type: 'extable.search',
      core: 0,
      tid: 0,
      ip: 'copy_user_generic+0x1c',
      va: '0x5000',
      found: true,
      fixup: 'copy_user_generic+0x1e',
    };
    expect(narrate(found)).toMatch(/no signal.*copy_user_generic\+0x1c.*resumes at copy_user_generic\+0x1e/);
    expect(narrate({ ...found, found: false })).toMatch(/finds no entry/);
    expect(
      narrate({
        ...at,
        type: 'oops',
        core: 0,
        tid: 3,
        ip: 'copy_user_generic+0x1c',
        va: '0x5000',
        errorCode: 0,
        reason: '',
      }),
    ).toMatch(/Oops.*0x5000.*kills T3/);
  });

  it('a kernel-mode fault on a user address says U is clear; a user one does not', () => {
    const f: SimEvent = {
      ...at,
      type: 'fault.raised',
      core: 0,
      tid: 0,
      va: '0x7f0000104000',
      kind: 'not-present',
      errorCode: 0,
      access: 'read',
    };
    expect(narrate(f)).toMatch(/U is clear: the kernel itself/);
    expect(narrate({ ...f, errorCode: 4 })).not.toMatch(/U is clear/);
  });

  it('the double fetch: the second read is the unchecked one, and the overflow gives the sizes', () => {
    expect(
      narrate({ ...at, type: 'uaccess.fetch', core: 0, tid: 0, va: '0x1000', value: 64, n: 2, into: 'use' }),
    ).toMatch(/again.*64.*never checked/);
    expect(
      narrate({
        ...at,
        type: 'kernel.overflow',
        core: 0,
        tid: 0,
        allocated: 32,
        written: 256,
        over: 224,
        checked: 8,
        used: 64,
      }),
    ).toMatch(/32 bytes.*256.*224 bytes/);
  });

  it('locks: a spin names the holder; an acquire after a wait gives the cycles', () => {
    expect(narrate({ ...at, type: 'lock.wait', core: 3, lock: 'mm1', holder: 4, queue: 2 })).toMatch(
      /Core 3 needs the address-space spinlock \(mm1\), held by core 4/,
    );
    expect(narrate({ ...at, type: 'lock.acquire', core: 3, lock: 'page:0x1000', waited: 1070 })).toMatch(
      /page lock of 0x1000 after spinning 1070 cycles/,
    );
  });
});
