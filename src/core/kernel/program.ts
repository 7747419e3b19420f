// Starting a thread's next program operation. Memory accesses and syscalls become frames
// that run over one or more steps; the rest finish here.
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import { stepAccess } from './access';
import { vaHex } from './emit';
import { stepFork } from './fork';
import { stepMprotect } from './mprotect';
import { stepMunmap } from './munmap';
import { invlpg } from '../tlb/invalidate';
import { doBrk } from './brk';
import { exitThread } from './thread';
import { protString } from './vma';
import { doClone } from './cloneThread';
import { startExec } from './exec';
import { doExit } from './exitMm';
import { startJoin } from './stacks';
import { rejectBadArgs } from './syscallArgs';
import { startKernelOp } from './kernelOps';
import { startRw } from './syscallRw';
import { startIoctl } from './doubleFetch';
import { takeRepeat } from './repeat';

export function startNextOp(ctx: Ctx): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const op = th.program[th.pc];
  if (!op) {
    exitThread(ctx, th, 'exit');
    return;
  }
  switch (op.op) {
    case 'read':
    case 'write': {
      const f = {
        fn: 'access' as const,
        vpn: op.vpn,
        off: op.off,
        kind: op.op,
        value: op.op === 'write' ? op.value : 0,
      };
      core.stack.push(f);
      stepAccess(ctx, f);
      return;
    }
    case 'munmap': {
      if (rejectBadArgs(ctx, th, op)) return;
      const f = {
        fn: 'munmap' as const,
        phase: 'enter' as const,
        vpn: op.vpn,
        pages: op.unaligned ? 0 : op.pages,
        i: 0,
        gathered: [],
        cleared: [],
        tables: [],
      };
      core.stack.push(f);
      stepMunmap(ctx, f);
      return;
    }
    case 'mprotect': {
      if (rejectBadArgs(ctx, th, op)) return;
      const f = {
        fn: 'mprotect' as const,
        phase: 'enter' as const,
        vpn: op.vpn,
        pages: op.unaligned ? 0 : op.pages,
        prot: op.prot,
        i: 0,
        flush: [],
      };
      core.stack.push(f);
      stepMprotect(ctx, f);
      return;
    }
    case 'fork': {
      const f = { fn: 'fork' as const, phase: 'enter' as const, child: op.child, todo: [], downgraded: [] };
      core.stack.push(f);
      stepFork(ctx, f);
      return;
    }
    case 'mmap': {
      if (rejectBadArgs(ctx, th, op)) return;
      const proc = procOf(m, th.pid);
      const args = [vaHex(op.vpn, 0), `0x${(op.pages * 4096).toString(16)}`, protString(op.prot)];
      ctx.emit({ type: 'syscall.enter', core: core.id, tid: th.tid, name: 'mmap', args });
      ctx.cost += m.cost.kernelEntry;
      const overlaps = proc.vmas.some((v) => v.startVpn < op.vpn + op.pages && op.vpn < v.endVpn);
      if (op.pages <= 0 || overlaps) {
        // MAP_FIXED_NOREPLACE semantics: an overlap is refused (EEXIST), a bad length is EINVAL.
        ctx.emit({
          type: 'syscall.exit',
          core: core.id,
          tid: th.tid,
          name: 'mmap',
          ret: op.pages <= 0 ? -22 : -17,
        });
      } else {
        proc.vmas.push({ startVpn: op.vpn, endVpn: op.vpn + op.pages, prot: op.prot, name: 'anon' });
        proc.vmas.sort((a, b) => a.startVpn - b.startVpn);
        ctx.emit({
          type: 'vma.map',
          pid: proc.pid,
          start: vaHex(op.vpn, 0),
          end: vaHex(op.vpn + op.pages, 0),
          prot: protString(op.prot),
        });
        ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: 'mmap', ret: 0 });
      }
      th.pc++;
      return;
    }
    case 'signal':
      m.flags[op.flag] = ctx.t;
      ctx.emit({ type: 'sync.signal', core: core.id, tid: th.tid, flag: op.flag });
      ctx.cost += m.cost.small;
      th.pc++;
      // Wake the threads sleeping on it, each back onto its own core's run queue.
      for (const t of m.threads) {
        if (t.state !== 'sleeping' || t.sleepFlag !== op.flag) continue;
        t.state = 'ready';
        t.readyAt = ctx.t;
        t.pc++;
        m.cores[t.core]?.runq.push(t.tid);
        ctx.emit({ type: 'thread.wake', tid: t.tid, core: t.core, flag: op.flag });
      }
      return;
    case 'sleep':
      if (op.flag in m.flags) {
        ctx.emit({ type: 'sync.wait', core: core.id, tid: th.tid, flag: op.flag, satisfied: true });
        th.pc++;
        ctx.cost += m.cost.small;
        return;
      }
      // The thread blocks and leaves the core; the core runs the idle task, a kernel thread,
      // so it enters lazy TLB mode: the old mm stays loaded (enter_lazy_tlb, arch/x86/mm/tlb.c).
      th.state = 'sleeping';
      th.sleepFlag = op.flag;
      core.tid = -1;
      core.lazy = true;
      ctx.cost += m.cost.contextSwitch;
      ctx.emit({ type: 'thread.sleep', core: core.id, tid: th.tid, flag: op.flag });
      ctx.emit({
        type: 'context.switch',
        core: core.id,
        fromTid: th.tid,
        toTid: -1,
        flush: false,
        lazy: true,
      });
      return;
    case 'wait':
      if (op.flag in m.flags) {
        ctx.emit({ type: 'sync.wait', core: core.id, tid: th.tid, flag: op.flag, satisfied: true });
        th.state = 'running';
        th.pc++;
      } else {
        // Spinning in user space: the core stays busy with this mm (not idle, not lazy).
        ctx.emit({ type: 'sync.wait', core: core.id, tid: th.tid, flag: op.flag, satisfied: false });
        th.state = 'spinning';
      }
      ctx.cost += m.cost.small;
      return;
    case 'compute':
      ctx.emit({ type: 'compute', core: core.id, tid: th.tid, cycles: op.cycles });
      ctx.cost += op.cycles;
      th.pc++;
      return;
    case 'exit':
      doExit(ctx, th);
      return;
    case 'brk':
      doBrk(ctx, th, op.addr);
      return;
    case 'invlpg': {
      // INVLPG drops this page's entries in the current PCID, plus global ones, whatever their
      // page size and in every TLB level: a 2 MiB entry goes whichever 4 KiB page inside it is
      // named (SDM 4.10.4.1).
      const r = invlpg(core.tlb, op.vpn, core.pcid);
      ctx.emit({
        type: 'tlb.invalidate',
        core: core.id,
        scope: 'page',
        va: vaHex(op.vpn, 0),
        removed: r.total,
        reason: 'INVLPG',
        ...(r.psc !== undefined ? { psc: r.psc } : {}),
      });
      ctx.cost += m.cost.invlpg;
      th.pc++;
      return;
    }
    case 'clone':
      doClone(ctx, th, op.tid);
      return;
    case 'exec':
      startExec(ctx, op.image, op.vmas);
      return;
    case 'join':
      startJoin(ctx, th, op.tid);
      return;
    case 'check': {
      const f = {
        fn: 'access' as const,
        vpn: op.vpn,
        off: op.off,
        kind: 'read' as const,
        value: 0,
        expect: op.expect,
      };
      core.stack.push(f);
      stepAccess(ctx, f);
      return;
    }
    case 'kread':
    case 'kwrite':
    case 'vmalloc':
    case 'vunmap':
      startKernelOp(ctx, op);
      return;
    case 'sys_read':
    case 'sys_write':
      startRw(ctx, op);
      return;
    case 'ioctl':
      startIoctl(ctx, op);
      return;
    case 'repeat':
      // A jump, not an operation: the op it lands on starts in this same step.
      takeRepeat(th, op);
      startNextOp(ctx);
      return;
    default: {
      const never: never = op;
      return never;
    }
  }
}
