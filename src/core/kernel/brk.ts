// brk(addr) (mm/mmap.c SYSCALL_DEFINE1(brk)): move the end of the heap. Growing only extends the
// heap VMA; nothing is mapped until a page is touched and faults (demand zero). The return value
// is the new break, or the old one when the request is refused (brk never returns an errno).
// Simplification: shrinking the heap (which Linux does with an munmap of the tail) is refused
// here, and the narration says so.
import type { Ctx } from '../engine/ctx';
import { procOf } from '../engine/ctx';
import type { Thread } from '../machine';
import { vaHex } from './emit';

const PAGE = 4096;

export function doBrk(ctx: Ctx, th: Thread, addr: number): void {
  const { m, core } = ctx;
  const proc = procOf(m, th.pid);
  ctx.emit({
    type: 'syscall.enter',
    core: core.id,
    tid: th.tid,
    name: 'brk',
    args: [`0x${addr.toString(16)}`],
  });
  ctx.cost += m.cost.kernelEntry;
  const start = proc.startBrk ?? 0;
  const old = proc.brk ?? 0;
  const ret = (v: number) =>
    ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: 'brk', ret: v });
  // No heap, below the heap start, beyond the user half (TASK_SIZE, 2^47), or shrinking (not
  // modelled): the old break comes back.
  if (start === 0 || addr < start || addr < old || addr >= 2 ** 47) {
    ret(old);
    th.pc++;
    return;
  }
  const oldEndVpn = Math.ceil(old / PAGE);
  const newEndVpn = Math.ceil(addr / PAGE);
  const startVpn = start / PAGE;
  if (newEndVpn > oldEndVpn) {
    // The heap may not run into another mapping (find_vma_intersection in brk()).
    const clash = proc.vmas.some((v) => v.name !== 'heap' && v.startVpn < newEndVpn && oldEndVpn < v.endVpn);
    if (clash) {
      ret(old);
      th.pc++;
      return;
    }
    const heap = proc.vmas.find((v) => v.name === 'heap' && v.startVpn === startVpn);
    if (heap) heap.endVpn = newEndVpn;
    else {
      proc.vmas.push({ startVpn, endVpn: newEndVpn, prot: { r: true, w: true, x: false }, name: 'heap' });
      proc.vmas.sort((a, b) => a.startVpn - b.startVpn);
    }
    ctx.emit({
      type: 'vma.grow',
      pid: proc.pid,
      start: vaHex(startVpn, 0),
      oldEnd: vaHex(oldEndVpn, 0),
      end: vaHex(newEndVpn, 0),
    });
  }
  proc.brk = addr;
  ret(addr);
  th.pc++;
}
