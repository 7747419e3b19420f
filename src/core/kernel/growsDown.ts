// VM_GROWSDOWN stacks (the main thread's stack): a fault in the gap just below such a VMA is not
// a SIGSEGV but a request to grow it (mm/mmap.c expand_downwards, called from
// lock_mm_and_find_vma). It is refused when the new start comes within stack_guard_gap of the
// mapping below (256 pages by default, mm/mmap.c) or the stack would exceed RLIMIT_STACK
// (8 MiB by default). Simplification: growth is only checked against those two limits.
import type { Ctx } from '../engine/ctx';
import type { Proc, Vma } from '../machine';
import { vaHex } from './emit';

/** stack_guard_gap: 256 pages (mm/mmap.c). */
export const STACK_GUARD_GAP_PAGES = 256;
/** RLIMIT_STACK's usual soft limit: 8 MiB. */
export const STACK_RLIMIT_PAGES = 2048;

/** The grows-down VMA a fault at `vpn` may extend, extended; null when the fault stays a SIGSEGV. */
export function expandStack(ctx: Ctx, proc: Proc, vpn: number): Vma | null {
  const above = proc.vmas.find((v) => v.startVpn > vpn);
  if (!above?.growsDown) return null;
  if (above.endVpn - vpn > STACK_RLIMIT_PAGES) return null;
  const below = proc.vmas.filter((v) => v.endVpn <= vpn).at(-1);
  // Another mapping (accessible, not itself a stack) must stay stack_guard_gap away.
  const accessible = below && (below.prot.r || below.prot.w || below.prot.x);
  if (below && accessible && !below.growsDown && vpn - below.endVpn < STACK_GUARD_GAP_PAGES) return null;
  const oldStart = above.startVpn;
  above.startVpn = vpn;
  ctx.emit({
    type: 'stack.expand',
    core: ctx.core.id,
    pid: proc.pid,
    oldStart: vaHex(oldStart, 0),
    start: vaHex(vpn, 0),
    end: vaHex(above.endVpn, 0),
  });
  return above;
}
