// execve, reduced to what it does to memory (fs/exec.c):
//  1. bprm_mm_init: a new mm with a fresh, empty PML4 (the kernel half linked in, as for any mm);
//  2. begin_new_exec -> de_thread: every other thread of the process is killed (zap_other_threads)
//     and exec waits until they are gone; they must not run on the old mm any more;
//  3. exec_mmap -> activate_mm: CR3 is loaded with the new PML4. The new mm has its own context,
//     so its PCID's old entries are flushed (choose_new_asid sees another ctx_id);
//  4. mmput(old mm): the last user is gone, so exit_mmap tears the old one down: PTEs cleared,
//     the whole mm flushed on every core that may cache it, and only then frames and tables freed;
//  5. the image is mapped into the new mm (load_elf_binary's segments, setup_arg_pages' stack).
// The operations after `exec` in the thread's program stand for the new image's code.
// Simplifications: no files, arguments or ELF parsing; the image is the scenario's list of VMAs.
import { encodeEntry } from '../arch/x86_64/pte';
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import { hex } from '../hex';
import type { ExecVma, Frame, Proc } from '../machine';
import { allocFrame } from '../mem/physmem';
import { flushPcid } from '../smp/flushPcid';
import { vaHex } from './emit';
import { teardownFrame } from './exitMm';
import { linkKernelHalf } from './kernelHalf';
import { ensurePte, setPte } from './pagetable';
import { exitThread, killProcess } from './thread';
import { protString } from './vma';

type ExecFrame = Extract<Frame, { fn: 'exec' }>;

const ENOMEM = 12;

export function startExec(ctx: Ctx, image: string, vmas: ExecVma[]): void {
  const f: ExecFrame = { fn: 'exec', phase: 'enter', image, vmas, newRoot: -1, oldRoot: -1, oldVmas: [] };
  ctx.core.stack.push(f);
  stepExec(ctx, f);
}

export function stepExec(ctx: Ctx, f: ExecFrame): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const proc = procOf(m, th.pid);
  const exit = (ret: number) => {
    ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: 'execve', ret });
    core.stack.pop();
    th.pc++;
  };
  switch (f.phase) {
    case 'enter': {
      ctx.emit({ type: 'syscall.enter', core: core.id, tid: th.tid, name: 'execve', args: [f.image] });
      ctx.cost += m.cost.kernelEntry;
      const root = allocFrame(m.mem, 'pagetable', proc.pid);
      if (root === null) return exit(-ENOMEM);
      ctx.emit({ type: 'frame.alloc', pfn: root, pid: proc.pid, use: 'pagetable' });
      if (m.kernelPdpt !== undefined) linkKernelHalf(m, root);
      f.newRoot = root;
      f.phase = 'kill';
      return;
    }
    case 'kill': {
      ctx.cost += m.cost.small;
      const others = m.threads.filter(
        (t) => t.pid === proc.pid && t.tid !== th.tid && t.state !== 'exited' && t.state !== 'unborn',
      );
      // A thread in the kernel on another core takes its SIGKILL on the way out: wait for that.
      const inKernel = m.cores.some(
        (c) =>
          c.id !== core.id &&
          c.stack.length > 0 &&
          (others.some((t) => t.tid === c.tid) ||
            c.stack.some((s) => s.fn === 'switch' && others.some((t) => t.tid === s.tid))),
      );
      if (inKernel) return;
      for (const t of others) exitThread(ctx, t, 'killed by execve in another thread (de_thread)');
      f.phase = 'switch';
      return;
    }
    case 'switch': {
      f.oldRoot = proc.rootPfn;
      f.oldVmas = proc.vmas;
      proc.rootPfn = f.newRoot;
      proc.vmas = [];
      proc.startBrk = undefined;
      proc.brk = undefined;
      for (const t of m.threads) if (t.pid === proc.pid && t.stack?.state !== 'unborn') delete t.stack;
      core.cr3Pfn = f.newRoot;
      ctx.emit({
        type: 'mm.activate',
        core: core.id,
        pid: proc.pid,
        cr3: hex(f.newRoot * 4096 + proc.pcid),
        oldCr3: hex(f.oldRoot * 4096 + proc.pcid),
      });
      flushPcid(ctx, proc, 'execve: a new mm, so the entries this PCID cached for the old one go');
      core.localGen[proc.pid] = proc.tlbGen;
      f.phase = 'build';
      // mmput(old): this was its last user, so exit_mmap runs now, before the image is mapped.
      core.stack.push(teardownFrame(m, proc, f.oldRoot, f.oldVmas, 'exec'));
      return;
    }
    case 'build': {
      for (const v of f.vmas) {
        proc.vmas.push({
          startVpn: v.startVpn,
          endVpn: v.startVpn + v.pages,
          prot: v.prot,
          name: v.name,
          ...(v.growsDown ? { growsDown: true } : {}),
        });
        ctx.emit({
          type: 'vma.map',
          pid: proc.pid,
          start: vaHex(v.startVpn, 0),
          end: vaHex(v.startVpn + v.pages, 0),
          prot: protString(v.prot),
        });
        if (!v.populate) continue;
        for (let vpn = v.startVpn; vpn < v.startVpn + v.pages; vpn++) {
          if (!populate(ctx, proc, vpn, v)) {
            // Past the point of no return an exec that fails kills the process (fs/exec.c).
            killProcess(ctx, proc.pid, 'execve failed after the point of no return: out of memory');
            return;
          }
        }
      }
      proc.vmas.sort((a, b) => a.startVpn - b.startVpn);
      ctx.cost += m.cost.small;
      f.phase = 'exit';
      return;
    }
    case 'exit':
      return exit(0);
  }
}

function populate(ctx: Ctx, proc: Proc, vpn: number, v: ExecVma): boolean {
  const { m } = ctx;
  const slot = ensurePte(m, proc, vpn, ctx.emit);
  const pfn = allocFrame(m.mem, 'anon', proc.pid);
  if (!slot || pfn === null) return false;
  ctx.emit({ type: 'frame.alloc', pfn, pid: proc.pid, use: 'anon' });
  const [lo, hi] = encodeEntry({ pfn, rw: v.prot.w, us: true, nx: !v.prot.x });
  setPte(m, proc, vpn, slot, lo, hi, ctx.emit);
  ctx.cost += m.cost.zeroFrame + m.cost.pteWrite;
  return true;
}
