// The argument checks mmap, munmap and mprotect make before touching the address space, with
// the errno each returns (the run goes on: a bad call is a value, not a crash).
//  munmap (mm/mmap.c do_vmi_munmap / older do_munmap):
//    if (offset_in_page(start) || start > TASK_SIZE || len > TASK_SIZE - start) return -EINVAL;
//    len = PAGE_ALIGN(len); if (len == 0) return -EINVAL;
//  mprotect (mm/mprotect.c do_mprotect_pkey):
//    if (start & ~PAGE_MASK) return -EINVAL; if (!len) return 0;
//    len = PAGE_ALIGN(len); end = start + len; if (end <= start) return -ENOMEM;
//    (a range with no VMA, the kernel half included, is -ENOMEM further on)
//  mmap (mm/mmap.c do_mmap, __get_unmapped_area; the model's mmap is MAP_FIXED_NOREPLACE):
//    if (!len) return -EINVAL; len = PAGE_ALIGN(len); if (!len) return -ENOMEM;
//    if (len > TASK_SIZE) return -ENOMEM; if (addr > TASK_SIZE - len) return -ENOMEM;
//    if (offset_in_page(addr)) return -EINVAL;
// Lengths are size_t: a negative length is a huge one. Lengths here are whole pages (`pages`).
import type { Ctx } from '../engine/ctx';
import type { Op, Thread } from '../machine';
import { vaHex } from './emit';
import { protString } from './vma';

const EINVAL = 22;
const ENOMEM = 12;
/** TASK_SIZE_MAX on x86-64 with 4-level paging: (1 << 47) - PAGE_SIZE, as a page number. */
export const TASK_SIZE_VPN = 2 ** 35 - 1;

type MemOp = Extract<Op, { op: 'mmap' | 'munmap' | 'mprotect' }>;

/** The errno the kernel returns for these arguments (negative), 0 for mprotect's no-op, or null: go on. */
export function badArgs(o: MemOp): number | null {
  const unaligned = (o.off ?? 0) !== 0;
  // start + len as the kernel's unsigned arithmetic sees it, in pages (len < 0 is ~2^64).
  const huge = o.pages < 0;
  switch (o.op) {
    case 'munmap':
      if (unaligned || o.vpn > TASK_SIZE_VPN || huge || o.pages > TASK_SIZE_VPN - o.vpn) return -EINVAL;
      if (o.pages === 0) return -EINVAL;
      return null;
    case 'mprotect':
      if (unaligned) return -EINVAL;
      if (o.pages === 0) return 0;
      if (huge) return -ENOMEM;
      return null;
    case 'mmap':
      if (o.pages === 0) return -EINVAL;
      if (huge || o.pages > TASK_SIZE_VPN || o.vpn > TASK_SIZE_VPN - o.pages) return -ENOMEM;
      if (unaligned) return -EINVAL;
      return null;
  }
}

/** A length in bytes as the kernel receives it (size_t), in hex. */
function sizeT(pages: number): string {
  return `0x${BigInt.asUintN(64, BigInt(pages) * 4096n).toString(16)}`;
}

/**
 * Runs the checks for a memory syscall; when they decide the result, emits the call and its
 * return, advances the thread and returns true.
 */
export function rejectBadArgs(ctx: Ctx, th: Thread, o: MemOp): boolean {
  const ret = badArgs(o);
  if (ret === null) return false;
  const { m, core } = ctx;
  const args = [vaHex(o.vpn, o.off ?? 0), sizeT(o.pages)];
  if (o.op !== 'munmap') args.push(protString(o.prot));
  ctx.emit({ type: 'syscall.enter', core: core.id, tid: th.tid, name: o.op, args });
  ctx.cost += m.cost.kernelEntry + m.cost.small;
  ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: o.op, ret });
  th.pc++;
  return true;
}
