// Builds the initial machine from a validated scenario: physical memory, the shared zero page,
// each process's page tables and VMAs (populated pages mapped), threads placed on run queues.
import { encodeEntry } from '../arch/x86_64/pte';
import { DEFAULT_CONTROL, writeEntry } from '../arch/x86_64/walk';
import { DEFAULT_COSTS } from '../costs';
import { parseHex } from '../hex';
import type { Core, Machine, Op, Proc, Thread } from '../machine';
import { allocFrame, createPhysMem } from '../mem/physmem';
import { seedPrng } from '../prng';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createTlb } from '../tlb/tlb';
import { ensurePte } from './pagetable';
import { protBits } from './vma';

export type BuildResult = { ok: true; machine: Machine } | { ok: false; error: string };

function vaParts(s: string): { vpn: number; off: number } | null {
  const v = parseHex(s);
  if (v === null) return null;
  return { vpn: Number(v >> 12n), off: Number(v & 0xfffn) };
}

function buildOp(o: OpSpec): Op | string {
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
      return { op: 'mmap', vpn: p.vpn, pages: o.pages, prot: protBits(o.prot) };
    }
    case 'munmap': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: 'munmap', vpn: p.vpn, pages: o.pages, unaligned: p.off !== 0 };
    }
    case 'mprotect': {
      const p = vaParts(o.va);
      if (!p) return `bad address ${o.va}`;
      return { op: 'mprotect', vpn: p.vpn, pages: o.pages, prot: protBits(o.prot), unaligned: p.off !== 0 };
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
  }
}

export function createMachine(spec: ScenarioSpec, seed: number = spec.seed): BuildResult {
  const mem = createPhysMem(spec.machine.frames);
  const zeroPfn = allocFrame(mem, 'zero', -1);
  if (zeroPfn === null) return { ok: false, error: 'machine.frames: too few frames for the zero page' };
  const cores: Core[] = [];
  for (let id = 0; id < spec.machine.cores; id++) {
    cores.push({
      id,
      now: 0,
      tlb: createTlb(spec.machine.tlb.sets, spec.machine.tlb.ways),
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
    const root = allocFrame(mem, 'pagetable', ps.pid);
    if (root === null) return { ok: false, error: `processes[${i}]: out of physical memory` };
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
    for (const [j, vs] of ps.vmas.entries()) {
      const start = vaParts(vs.start);
      if (start?.off !== 0) return { ok: false, error: `processes[${i}].vmas[${j}].start: not page-aligned` };
      const prot = protBits(vs.prot);
      proc.vmas.push({ startVpn: start.vpn, endVpn: start.vpn + vs.pages, prot, name: vs.name ?? 'anon' });
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
    for (const [j, o] of ts.program.entries()) {
      const op = buildOp(o);
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
      program,
      pc: 0,
      state: 'ready',
      exitReason: '',
      readyAt: 0,
      sleepFlag: '',
    };
    m.threads.push(t);
    if (spec.processes.some((p) => p.pid === ts.pid && p.forkOf !== undefined)) t.state = 'unborn';
    else core.runq.push(t.tid);
  }
  return { ok: true, machine: m };
}
