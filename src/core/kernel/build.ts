// Builds the initial machine from a validated scenario: physical memory, the shared zero page,
// each process's page tables and VMAs (populated pages mapped), threads placed on run queues.
import { encodeEntry } from '../arch/x86_64/pte';
import { DEFAULT_CONTROL, writeEntry } from '../arch/x86_64/walk';
import { shareInClones } from '../clone';
import { DEFAULT_COSTS } from '../costs';
import { parseHex } from '../hex';
import type { Core, Machine, Op, Proc, ProtBits, Thread } from '../machine';
import { allocFrame, allocFrameRun, createPhysMem } from '../mem/physmem';
import { createSwapDevice } from '../mem/swapdev';
import { seedPrng } from '../prng';
import type { OpSpec, ScenarioSpec } from '../spec';
import { buildRepeat } from './repeat';
import { coreTlbSeed, createCoreTlb } from '../tlb/machineTlb';
import { createPsc, pscSizesOf } from '../tlb/psc';
import { linkKernelHalf } from './kernelHalf';
import { buildExec, placeStack } from './buildThreads';
import { buildKernelOp } from './kernelOps';
import { allocPgdPair } from './kpti';
import { ensureEntry, ensurePte } from './pagetable';
import { recursePushes } from './stacks';
import { protBits } from './vma';

export type BuildResult = { ok: true; machine: Machine } | { ok: false; error: string };

function vaParts(s: string): { vpn: number; off: number } | null {
  const v = parseHex(s);
  if (v === null) return null;
  return { vpn: Number(v >> 12n), off: Number(v & 0xfffn) };
}

function buildOp(o: OpSpec, recursiveSlot: number | undefined): Op | string {
  switch (o.op) {
    case 'read':
    case 'write': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return o.op === 'read' ? { op: 'read', ...p } : { op: 'write', ...p, value: o.value ?? 1 };
    }
    case 'mmap': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: 'mmap', vpn: p.vpn, pages: o.pages, prot: protBits(o.prot), off: p.off };
    }
    case 'munmap': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: 'munmap', vpn: p.vpn, pages: o.pages, unaligned: p.off !== 0, off: p.off };
    }
    case 'mprotect': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return {
        op: 'mprotect',
        vpn: p.vpn,
        pages: o.pages,
        prot: protBits(o.prot),
        unaligned: p.off !== 0,
        off: p.off,
      };
    }
    case 'signal':
    case 'wait':
    case 'sleep':
      return { op: o.op, flag: o.flag };
    case 'compute':
      return { op: 'compute', cycles: o.cycles };
    case 'fork':
      return { op: 'fork', child: o.child };
    case 'exit':
      return { op: 'exit' };
    case 'brk': {
      const v = parseHex(o.va);
      if (v === null) return `bad address ${o.va}`;
      return { op: 'brk', addr: Number(v) };
    }
    case 'invlpg': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: 'invlpg', vpn: p.vpn };
    }
    case 'clone':
    case 'join':
      return { op: o.op, tid: o.tid };
    case 'exec':
      return buildExec(o.image, o.vmas);
    case 'check': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: 'check', ...p, expect: o.expect };
    }
    case 'recurse':
      return 'recurse needs the thread and its stack';
    case 'kread':
    case 'kwrite':
    case 'vmalloc':
    case 'vunmap':
      return buildKernelOp(o, recursiveSlot);
    case 'sys_read':
    case 'sys_write': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: o.op, fd: o.fd, vpn: p.vpn, off: p.off, len: o.len };
    }
    case 'ioctl': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: 'ioctl', vpn: p.vpn, off: p.off, limit: o.limit, fetch: o.fetch };
    }
    case 'repeat':
      return 'repeat needs its place in the program';
  }
}

export function createMachine(spec: ScenarioSpec, seed: number = spec.seed): BuildResult {
  const mem = createPhysMem(spec.machine.frames);
  const zeroPfn = allocFrame(mem, 'zero', -1);
  if (zeroPfn === null) return { ok: false, error: 'machine.frames: too few frames for the zero page' };
  const cores: Core[] = [];
  for (let id = 0; id < spec.machine.cores; id++) {
    const tlb = createCoreTlb(spec.machine.tlb, coreTlbSeed(seed, id), DEFAULT_COSTS.tlbHit);
    if (!tlb.ok) return { ok: false, error: tlb.error };
    const psc = pscSizesOf(spec.machine.psc ?? false);
    if (psc) tlb.h.psc = createPsc(psc);
    cores.push({
      id,
      now: 0,
      tlb: tlb.h,
      tlbHits: 0,
      tlbMisses: 0,
      mmPid: -1,
      cr3Pfn: -1,
      pcid: 0,
      lazy: false,
      switching: false,
      tid: -1,
      runq: [],
      inbox: [],
      stack: [],
      localGen: {},
    });
  }
  const m: Machine = {
    spec,
    step: 0,
    tick: 0,
    prng: seedPrng(seed),
    mem,
    ctl: { ...DEFAULT_CONTROL },
    cost: DEFAULT_COSTS,
    cores,
    procs: [],
    threads: [],
    ipis: [],
    shootdowns: [],
    pending: [],
    flags: {},
    zeroPfn,
    stats: {
      ipis: 0,
      tlbHits: 0,
      tlbMisses: 0,
      faults: 0,
      violations: 0,
      invalidations: 0,
      waitCycles: cores.map(() => 0),
      handlerCycles: cores.map(() => 0),
    },
    standing: [],
    done: false,
    record: true,
    monitor: true,
  };
  if (spec.machine.swap) m.swap = createSwapDevice(spec.machine.swap.slots, spec.machine.swap.policy);
  for (const [i, ps] of spec.processes.entries()) {
    if (ps.forkOf !== undefined) {
      // Created by fork at run time: no address space yet, and not alive.
      m.procs.push({
        pid: ps.pid,
        name: ps.name,
        rootPfn: -1,
        vmas: [],
        tlbGen: 1,
        cpumask: cores.map(() => false),
        pcid: i + 1,
        alive: false,
      });
      continue;
    }
    // KPTI: an 8 KiB pair, kernel PGD then user PGD (kpti.ts).
    const root = spec.machine.kpti ? allocPgdPair(mem, ps.pid) : allocFrame(mem, 'pagetable', ps.pid);
    if (root === null) return { ok: false, error: `processes[${i}]: out of physical memory` };
    if (spec.machine.kernelHalf && !linkKernelHalf(m, root))
      return { ok: false, error: 'machine.frames: too few frames for the kernel half' };
    const proc: Proc = {
      pid: ps.pid,
      name: ps.name,
      rootPfn: root,
      vmas: [],
      tlbGen: 1,
      cpumask: cores.map(() => false),
      // PCID 0 is special in Linux (kPCID = ASID + 1); here each mm simply gets its own.
      pcid: i + 1,
      alive: true,
    };
    if (ps.brk !== undefined) {
      const b = vaParts(ps.brk);
      if (b?.off !== 0) return { ok: false, error: `processes[${i}].brk: not page-aligned` };
      proc.startBrk = b.vpn * 4096;
      proc.brk = proc.startBrk;
    }
    for (const [j, vs] of ps.vmas.entries()) {
      const start = vaParts(vs.start);
      if (start?.off !== 0) return { ok: false, error: `processes[${i}].vmas[${j}].start: not page-aligned` };
      const prot = protBits(vs.prot);
      const pageShift = vs.pageSize === '1g' ? 30 : vs.pageSize === '2m' ? 21 : 12;
      proc.vmas.push({
        startVpn: start.vpn,
        endVpn: start.vpn + vs.pages,
        prot,
        name: vs.name ?? 'anon',
        ...(pageShift > 12 ? { pageShift } : {}),
        ...(vs.growsDown ? { growsDown: true } : {}),
      });
      if (pageShift > 12) {
        const err = mapLargePages(m, proc, start.vpn, vs.pages, pageShift, prot);
        if (err) return { ok: false, error: `processes[${i}].vmas[${j}]: ${err}` };
        continue;
      }
      if (!vs.populate) continue;
      for (let k = 0; k < vs.pages; k++) {
        const vpn = start.vpn + k;
        const slot = ensurePte(m, proc, vpn, null);
        const pfn = allocFrame(mem, 'anon', ps.pid);
        if (!slot || pfn === null)
          return { ok: false, error: `processes[${i}].vmas[${j}]: out of physical memory` };
        // Set up with A and D clear, so the lesson shows the hardware setting them.
        const [lo, hi] = encodeEntry({ pfn, rw: prot.w, us: true, nx: !prot.x });
        writeEntry(mem, slot.tablePfn, slot.index, lo, hi);
      }
    }
    proc.vmas.sort((a, b) => a.startVpn - b.startVpn);
    m.procs.push(proc);
  }
  for (const [i, ts] of spec.threads.entries()) {
    const program: Op[] = [];
    /** Where each spec op starts in the built program (recurse expands to several). */
    const startOf: number[] = [];
    for (const [j, o] of ts.program.entries()) {
      startOf.push(program.length);
      if (o.op === 'repeat') {
        const r = buildRepeat(o, j, startOf);
        if (typeof r === 'string') return { ok: false, error: `threads[${i}].program[${j}]: ${r}` };
        program.push(r);
        continue;
      }
      if (o.op === 'recurse') {
        const top = ts.stack ? vaParts(ts.stack.va) : null;
        if (!top || !ts.stack)
          return { ok: false, error: `threads[${i}].program[${j}]: recurse needs threads[${i}].stack` };
        program.push(...recursePushes(top.vpn + ts.stack.pages, o.depth, o.frameBytes));
        continue;
      }
      const op = buildOp(o, spec.machine.recursiveSlot);
      if (typeof op === 'string') return { ok: false, error: `threads[${i}].program[${j}]: ${op}` };
      program.push(op);
    }
    if (!m.procs.some((p) => p.pid === ts.pid))
      return { ok: false, error: `threads[${i}].pid: no process ${ts.pid}` };
    const core = cores[ts.core];
    if (!core) return { ok: false, error: `threads[${i}].core: no core ${ts.core}` };
    const t: Thread = {
      tid: ts.tid,
      pid: ts.pid,
      core: ts.core,
      program: shareInClones(program),
      pc: 0,
      state: 'ready',
      exitReason: '',
      readyAt: 0,
      sleepFlag: '',
    };
    m.threads.push(t);
    const stackErr = placeStack(m, t, ts);
    if (stackErr) return { ok: false, error: `threads[${i}].stack: ${stackErr}` };
    if (spec.processes.some((p) => p.pid === ts.pid && p.forkOf !== undefined)) t.state = 'unborn';
    else if (ts.cloned) t.state = 'unborn';
    else core.runq.push(t.tid);
  }
  shareInClones(spec);
  return { ok: true, machine: m };
}

/**
 * Maps a 2 MiB or 1 GiB VMA with PS=1 leaves (SDM 4.5): one aligned run of frames per page,
 * A and D clear so the walk shows the hardware setting them.
 */
function mapLargePages(
  m: Machine,
  proc: Proc,
  startVpn: number,
  pages: number,
  pageShift: number,
  prot: ProtBits,
): string | null {
  const span = 2 ** (pageShift - 12);
  if (startVpn % span !== 0 || pages % span !== 0) {
    return `a ${pageShift === 30 ? '1 GiB' : '2 MiB'} VMA must start and end on that page size`;
  }
  const level = pageShift === 30 ? 3 : 2;
  for (let vpn = startVpn; vpn < startVpn + pages; vpn += span) {
    const slot = ensureEntry(m, proc, vpn, level, null);
    const base = allocFrameRun(m.mem, span, proc.pid);
    if (!slot || base === null) return 'out of physical memory';
    const [lo, hi] = encodeEntry({ pfn: base, rw: prot.w, us: true, ps: true, nx: !prot.x });
    writeEntry(m.mem, slot.tablePfn, slot.index, lo, hi);
  }
  return null;
}
