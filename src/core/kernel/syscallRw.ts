// read(2) and write(2) on a simple file: syscall entry, then copy_to_user / copy_from_user a
// page at a time between STAC and CLAC, then the return value. A copy that faults on a page the
// handler cannot map stops at that page (the exception-table fixup): like Linux's
// generic_perform_write and filemap_read, the syscall then returns the bytes moved so far, or
// -EFAULT if there were none. With the `pin` design the pages are pinned first (get_user_pages
// with FOLL_PIN, mm/gup.c) and unpinned after the copy.
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { Machine, Op, RwFrame } from '../machine';
import { readWord, writeWord } from '../mem/physmem';
import { paHex, vaHex } from './emit';
import { pinNextPage, unpinAll } from './pin';
import { clac, copyCycles, kernelAccess, stac, uaOf } from './uaccess';
import { returnFromSyscall } from './sysret';

export const EFAULT = 14;
const EBADF = 9;

export function startRw(ctx: Ctx, op: Extract<Op, { op: 'sys_read' | 'sys_write' }>): void {
  const f: RwFrame = {
    fn: 'rw',
    name: op.op === 'sys_read' ? 'read' : 'write',
    phase: 'enter',
    fd: op.fd,
    vpn: op.vpn,
    off: op.off,
    count: op.len,
    done: 0,
    faulted: false,
    pinned: [],
    pinnedVpns: [],
    ret: 0,
  };
  ctx.core.stack.push(f);
  stepRw(ctx, f);
}

function fileOf(m: Machine, fd: number) {
  return uaOf(m).files.find((x) => x.fd === fd);
}

function bufAddr(f: RwFrame): number {
  return f.vpn * 4096 + f.off;
}

function copyFn(f: RwFrame) {
  return f.name === 'read' ? ('copy_to_user' as const) : ('copy_from_user' as const);
}

export function stepRw(ctx: Ctx, f: RwFrame): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  switch (f.phase) {
    case 'enter': {
      ctx.emit({
        type: 'syscall.enter',
        core: core.id,
        tid: th.tid,
        name: f.name,
        args: [String(f.fd), vaHex(f.vpn, f.off), String(f.count)],
      });
      ctx.cost += m.cost.kernelEntry;
      const file = fileOf(m, f.fd);
      if (!file) {
        f.ret = -EBADF;
        f.phase = 'exit';
        return;
      }
      // A read moves what is left of the file, at most len bytes.
      if (f.name === 'read') f.count = Math.min(f.count, Math.max(0, file.words.length * 4 - file.pos * 4));
      f.phase = (m.spec.machine.uaccess ?? 'extable') === 'pin' && f.count > 0 ? 'pin' : 'stac';
      return;
    }
    case 'pin': {
      // get_user_pages: one page per step; read(2) needs the pages writable (FOLL_WRITE).
      const r = pinNextPage(ctx, f, f.name === 'read' ? 'write' : 'read');
      if (r === 'fault') return;
      if (r === 'efault') {
        f.ret = -14;
        f.phase = f.pinned.length > 0 ? 'unpin' : 'exit';
        return;
      }
      if (r === 'done') f.phase = 'stac';
      return;
    }
    case 'stac':
      stac(ctx, copyFn(f), bufAddr(f), f.count);
      f.phase = f.count > 0 ? 'copy' : 'clac';
      return;
    case 'copy':
      if (f.faulted) {
        // The fixup: the copy routine stops here and returns the bytes it did not copy.
        f.phase = 'clac';
        return stepRw(ctx, f);
      }
      copyChunk(ctx, f);
      return;
    case 'clac': {
      clac(ctx, copyFn(f), f.done, f.count);
      const file = fileOf(m, f.fd);
      if (file) file.pos += f.done / 4;
      // Linux returns the bytes moved, or -EFAULT when a fault stopped it before any.
      f.ret = f.done === f.count || f.done > 0 ? f.done : -EFAULT;
      f.phase = f.pinned.length > 0 ? 'unpin' : 'exit';
      return;
    }
    case 'unpin':
      unpinAll(ctx, f);
      f.phase = 'exit';
      return;
    case 'exit':
      returnFromSyscall(ctx, f.name, f.ret);
      return;
    default: {
      const never: never = f.phase;
      return never;
    }
  }
}

/** Moves the bytes from the current position to the end of its page (or of the buffer). */
function copyChunk(ctx: Ctx, f: RwFrame): void {
  const { m, core } = ctx;
  const file = fileOf(m, f.fd);
  if (!file) return;
  const addr = bufAddr(f) + f.done;
  const bytes = Math.min(f.count - f.done, 4096 - (addr % 4096));
  // copy_to_user stores into the user page, copy_from_user loads from it.
  const a = kernelAccess(ctx, addr, f.name === 'read' ? 'write' : 'read');
  if (!a.ok) return;
  const firstWord = (addr % 4096) >>> 2;
  const fileWord = file.pos + f.done / 4;
  for (let i = 0; i < bytes / 4; i++) {
    if (f.name === 'read') writeWord(m.mem, a.pfn, firstWord + i, file.words[fileWord + i] ?? 0);
    else file.words[fileWord + i] = readWord(m.mem, a.pfn, firstWord + i);
  }
  f.done += bytes;
  ctx.cost += copyCycles(m, bytes);
  ctx.emit({
    type: 'uaccess.copy',
    core: core.id,
    tid: core.tid,
    fn: copyFn(f),
    va: vaHex(Math.floor(addr / 4096), addr % 4096),
    pa: paHex(a.pfn, addr % 4096),
    bytes,
    done: f.done,
    len: f.count,
  });
  if (f.done >= f.count) f.phase = 'clac';
}
