// The ioctl of lesson double-fetch: arg points at a user struct { u32 len; u32 data[len] }.
// The kernel reads len, refuses it above its limit, allocates a buffer of len words and copies
// the data in. `twice` is the bug (a double fetch, the pattern of e.g. CVE-2016-6480 in the
// aacraid driver): after the check the kernel reads len from user memory again and copies that
// many words, so another thread that changes len in between gets an unchecked length used.
// `once` is the fix: copy the header into kernel memory once, check the copy, use the copy.
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { IoctlFrame, Op } from '../machine';
import { readWord } from '../mem/physmem';
import { paHex, vaHex } from './emit';
import { clac, copyCycles, kernelAccess, stac, uaOf } from './uaccess';
import { returnFromSyscall } from './sysret';

const EINVAL = 22;
const EFAULT = 14;
/** kmalloc of the buffer between the check and the copy (assumption: a slab allocation). */
export const KMALLOC_CYCLES = 300;

export function startIoctl(ctx: Ctx, op: Extract<Op, { op: 'ioctl' }>): void {
  const f: IoctlFrame = {
    fn: 'ioctl',
    phase: 'enter',
    vpn: op.vpn,
    off: op.off,
    limit: op.limit,
    fetch: op.fetch,
    checked: 0,
    used: 0,
    done: 0,
    faulted: false,
    ret: 0,
  };
  ctx.core.stack.push(f);
  stepIoctl(ctx, f);
}

function argAddr(f: IoctlFrame): number {
  return f.vpn * 4096 + f.off;
}

/** Reads the user word at `addr` in a STAC/CLAC window; null if a fault was raised (or fixed up). */
function fetchWord(ctx: Ctx, f: IoctlFrame, addr: number, n: number): number | null {
  const fn = f.fetch === 'once' ? 'copy_from_user' : 'get_user';
  // A retry after the fault handler mapped the page is still inside the same window.
  if (!uaOf(ctx.m).ac[ctx.core.id]) stac(ctx, fn, addr, 4);
  const a = kernelAccess(ctx, addr, 'read');
  if (!a.ok) return null;
  const value = readWord(ctx.m.mem, a.pfn, (addr % 4096) >>> 2);
  const into = f.fetch === 'once' ? 'kernel-copy' : n === 1 ? 'check' : 'use';
  const va = vaHex(Math.floor(addr / 4096), addr % 4096);
  ctx.emit({ type: 'uaccess.fetch', core: ctx.core.id, tid: ctx.core.tid, va, value, n, into });
  clac(ctx, fn, 4, 4);
  return value;
}

export function stepIoctl(ctx: Ctx, f: IoctlFrame): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  if (f.faulted && f.phase !== 'exit') {
    // The exception-table fixup: the access failed, the ioctl returns -EFAULT.
    clac(ctx, f.phase === 'copy' ? 'copy_from_user' : 'get_user', f.done, f.used * 4);
    // Whatever was copied before the fault is already in (and maybe past) the buffer.
    reportOverflow(ctx, f);
    f.ret = -EFAULT;
    f.phase = 'exit';
    return;
  }
  switch (f.phase) {
    case 'enter':
      ctx.emit({
        type: 'syscall.enter',
        core: core.id,
        tid: th.tid,
        name: 'ioctl',
        args: ['3', 'SEND', vaHex(f.vpn, f.off)],
      });
      ctx.cost += m.cost.kernelEntry;
      f.phase = 'fetch';
      return;
    case 'fetch': {
      // twice: get_user(len, &arg->len); once: copy_from_user(&hdr, arg, sizeof(hdr)), the
      // header now lives in kernel memory, and only that copy is used from here on.
      const v = fetchWord(ctx, f, argAddr(f), 1);
      if (v === null) return;
      f.checked = v;
      f.phase = 'check';
      return;
    }
    case 'check': {
      const ok = f.checked <= f.limit;
      ctx.emit({ type: 'uaccess.check', core: core.id, tid: th.tid, value: f.checked, limit: f.limit, ok });
      ctx.cost += m.cost.small;
      if (!ok) {
        f.ret = -EINVAL;
        f.phase = 'exit';
        return;
      }
      // kbuf = kmalloc(len * 4): the time this takes is the window another thread can use.
      ctx.cost += KMALLOC_CYCLES;
      if (f.fetch === 'twice') {
        f.phase = 'refetch';
      } else {
        f.used = f.checked;
        f.phase = 'copy';
      }
      return;
    }
    case 'refetch': {
      // The bug: len is read from user memory a second time, and this value is the one used.
      const v = fetchWord(ctx, f, argAddr(f), 2);
      if (v === null) return;
      f.used = v;
      f.phase = 'copy';
      return;
    }
    case 'copy':
      copyData(ctx, f);
      return;
    case 'exit':
      returnFromSyscall(ctx, 'ioctl', f.ret);
      return;
    default: {
      const never: never = f.phase;
      return never;
    }
  }
}

/** copy_from_user(kbuf, arg->data, used * 4), a page at a time; reports writing past kbuf. */
function copyData(ctx: Ctx, f: IoctlFrame): void {
  const { m, core } = ctx;
  const total = f.used * 4;
  const start = argAddr(f) + 4;
  if (!uaOf(m).ac[core.id]) stac(ctx, 'copy_from_user', start, total);
  if (total > 0) {
    const addr = start + f.done;
    const bytes = Math.min(total - f.done, 4096 - (addr % 4096));
    const a = kernelAccess(ctx, addr, 'read');
    if (!a.ok) return;
    f.done += bytes;
    ctx.cost += copyCycles(m, bytes);
    ctx.emit({
      type: 'uaccess.copy',
      core: core.id,
      tid: core.tid,
      fn: 'copy_from_user',
      va: vaHex(Math.floor(addr / 4096), addr % 4096),
      pa: paHex(a.pfn, addr % 4096),
      bytes,
      done: f.done,
      len: total,
    });
    if (f.done < total) return;
  }
  clac(ctx, 'copy_from_user', f.done, total);
  reportOverflow(ctx, f);
  f.ret = total;
  f.phase = 'exit';
}

/** The buffer was sized by the checked value; if the copy went past it, say so. */
function reportOverflow(ctx: Ctx, f: IoctlFrame): void {
  const allocated = f.checked * 4;
  if (f.done <= allocated) return;
  ctx.emit({
    type: 'kernel.overflow',
    core: ctx.core.id,
    tid: ctx.core.tid,
    allocated,
    written: f.done,
    over: f.done - allocated,
    checked: f.checked,
    used: f.used,
  });
}
