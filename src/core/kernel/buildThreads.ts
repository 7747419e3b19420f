// The build-time side of threads and exec images: a thread's declared stack (mapped now for a
// thread that exists from the start, when it is cloned for one declared `cloned`), and an exec
// op's image turned into the VMAs the new address space gets.
import { parseHex } from '../hex';
import type { ExecVma, Machine, Op, Thread } from '../machine';
import type { ThreadSpec, VmaSpec } from '../spec';
import { mapThreadStack } from './stacks';
import { protBits } from './vma';

/** Gives `t` its stack from `ts.stack`; maps it unless the thread starts unborn. An error, or null. */
export function placeStack(m: Machine, t: Thread, ts: ThreadSpec): string | null {
  if (!ts.stack) return null;
  const v = parseHex(ts.stack.va);
  if (v === null || (v & 0xfffn) !== 0n) return 'va: not page-aligned';
  const startVpn = Number(v >> 12n);
  t.stack = { startVpn, endVpn: startVpn + ts.stack.pages, guards: ts.stack.guards ?? true, state: 'unborn' };
  const proc = m.procs.find((p) => p.pid === ts.pid);
  if (!proc?.alive || ts.cloned) return null;
  return mapThreadStack(proc, t) ? null : 'overlaps another mapping of the process';
}

export function buildExec(image: string, vmas: VmaSpec[]): Op | string {
  const out: ExecVma[] = [];
  for (const [k, vs] of vmas.entries()) {
    const v = parseHex(vs.start);
    if (v === null || (v & 0xfffn) !== 0n) return `vmas[${k}].start: not page-aligned`;
    if (vs.pageSize && vs.pageSize !== '4k')
      return `vmas[${k}].pageSize: an exec image maps 4 KiB pages only`;
    out.push({
      startVpn: Number(v >> 12n),
      pages: vs.pages,
      prot: protBits(vs.prot),
      name: vs.name ?? 'anon',
      populate: vs.populate ?? false,
      growsDown: vs.growsDown ?? false,
    });
  }
  return { op: 'exec', image, vmas: out };
}
