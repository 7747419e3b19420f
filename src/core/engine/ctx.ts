import type { Emit } from '../kernel/emit';
import type { Core, Machine, Proc, Thread } from '../machine';

/** What one step's handler works with: the machine, the acting core, the step's start tick. */
export interface Ctx {
  m: Machine;
  core: Core;
  /** Tick at which this step starts on `core`. */
  t: number;
  /** Cycles this step costs the core; handlers add to it. */
  cost: number;
  emit: Emit;
}

export function procOf(m: Machine, pid: number): Proc {
  const p = m.procs.find((x) => x.pid === pid);
  if (!p) throw new Error(`internal: no process ${pid}`);
  return p;
}

export function threadOf(m: Machine, tid: number): Thread {
  const t = m.threads.find((x) => x.tid === tid);
  if (!t) throw new Error(`internal: no thread ${tid}`);
  return t;
}
