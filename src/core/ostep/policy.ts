// OSTEP's page-replacement simulator (vm-beyondphys-policy/paging-policy.py), solved (-c).
// Memory is a Python list: misses append on the right; FIFO and LRU evict from the left, MRU
// from the right; LRU and MRU move a hit page to the right. RAND and CLOCK draw from CPython's
// random stream, which ./pyrandom replays exactly, so they reproduce too.
import { fixed2, pyList } from './pyfmt';
import { type PyRandom, pyRandom, pySeed } from './pyrandom';

export const POLICIES = ['FIFO', 'LRU', 'MRU', 'OPT', 'UNOPT', 'RAND', 'CLOCK'] as const;
export type PolicyName = (typeof POLICIES)[number];

/** Reference strings longer than this are refused (the trace keeps a memory snapshot per step). */
export const MAX_TRACED_REFS = 2000;
/** With -N no snapshots are kept, so longer strings are fine. */
export const MAX_REFS = 10000;

export interface PolicyOptions {
  /** The option values as the script echoes them on its ARG lines. */
  args: {
    addresses: string;
    addressfile: string;
    numaddrs: string;
    policy: string;
    clockbits: string;
    cachesize: string;
    maxpage: string;
    seed: string;
    notrace: boolean;
  };
  policy: string;
  cacheSize: number;
  clockBits: number;
  seed: bigint;
  /** The pages to access, or the script's draw: `count` times int(maxPage * random()). */
  refs: { kind: 'list'; pages: number[] } | { kind: 'random'; count: number; maxPage: number };
}

export interface PolicyStep {
  page: number;
  hit: boolean;
  /** The page replaced on this access, null when none was. */
  evicted: number | null;
  /** Memory after the access, left (first to go under FIFO/LRU) to right. */
  memory: number[];
  hits: number;
  misses: number;
}

export interface PolicyRun {
  policy: PolicyName;
  refs: number[];
  /** One per reference; empty with notrace (-N), where the script prints no trace. */
  steps: PolicyStep[];
  hits: number;
  misses: number;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** OPT/UNOPT look-ahead: for each position, the next position with the same page (or n). */
function nextUses(refs: readonly number[]): number[] {
  const next = new Array<number>(refs.length);
  const seen = new Map<number, number>();
  for (let i = refs.length - 1; i >= 0; i--) {
    const p = refs[i] as number;
    next[i] = seen.get(p) ?? refs.length;
    seen.set(p, i);
  }
  return next;
}

/** Index in `memory` of the victim, for the policies that choose by position. */
function chooseVictim(
  policy: PolicyName,
  memory: number[],
  when: (page: number) => number,
  rng: PyRandom,
  ref: Map<number, number>,
): number {
  switch (policy) {
    case 'FIFO':
    case 'LRU':
      return 0;
    case 'MRU':
      return memory.length - 1;
    case 'RAND':
      return Math.floor(pyRandom(rng) * memory.length);
    case 'OPT': {
      // `whenReferenced >= maxReplace`: on a tie (e.g. several pages never used again) the
      // script keeps moving to the later slot, so the rightmost tied page goes.
      let best = 0;
      let bestWhen = -1;
      memory.forEach((p, i) => {
        const w = when(p);
        if (w >= bestWhen) [best, bestWhen] = [i, w];
      });
      return best;
    }
    case 'UNOPT': {
      // Strict `<`: the leftmost page among those needed soonest.
      let best = 0;
      let bestWhen = Number.POSITIVE_INFINITY;
      memory.forEach((p, i) => {
        const w = when(p);
        if (w < bestWhen) [best, bestWhen] = [i, w];
      });
      return best;
    }
    case 'CLOCK': {
      // Not a clock hand: the script probes random slots, decrementing reference counts
      // until it finds a page whose count is already 0.
      for (;;) {
        const i = Math.floor(pyRandom(rng) * memory.length);
        const page = memory[i] as number;
        const r = ref.get(page) ?? 0;
        if (r < 1) return i;
        ref.set(page, r - 1);
      }
    }
  }
}

export function runPolicy(o: PolicyOptions): Result<PolicyRun> {
  const policy = POLICIES.find((p) => p === o.policy);
  // The script's own message (it exits 1 after it).
  if (!policy) return { ok: false, error: `Policy ${o.policy.slice(0, 40)} is not yet implemented` };
  const rng = pySeed(o.seed);
  const count = o.refs.kind === 'list' ? o.refs.pages.length : o.refs.count;
  const trace = !o.args.notrace;
  const cap = trace ? MAX_TRACED_REFS : MAX_REFS;
  if (count > cap)
    return { ok: false, error: `${count} references; the limit is ${cap}${trace ? ' (or use -N)' : ''}` };
  if (count <= 0) return { ok: false, error: 'no references to simulate (the script divides by zero)' };
  if (o.cacheSize === 0) return { ok: false, error: 'cache size 0 (the script crashes on the first miss)' };
  let refs: number[];
  if (o.refs.kind === 'list') refs = o.refs.pages;
  else {
    const { maxPage } = o.refs;
    // int(maxpage * random.random()); `+ 0` turns a -0 (negative maxpage) into Python's 0.
    refs = Array.from({ length: count }, () => Math.trunc(maxPage * pyRandom(rng)) + 0);
  }

  const next = nextUses(refs);
  const lastUse = new Map<number, number>();
  const when = (page: number) => next[lastUse.get(page) ?? 0] ?? refs.length;
  const ref = new Map<number, number>();
  const memory: number[] = [];
  const steps: PolicyStep[] = [];
  let hits = 0;
  let misses = 0;
  refs.forEach((page, i) => {
    const at = memory.indexOf(page);
    let evicted: number | null = null;
    if (at >= 0) {
      hits++;
      if (policy === 'LRU' || policy === 'MRU') memory.push(...memory.splice(at, 1));
    } else {
      misses++;
      // A negative cache size never equals the page count, so such a cache just grows.
      if (memory.length === o.cacheSize) {
        const v = chooseVictim(policy, memory, when, rng, ref);
        evicted = memory.splice(v, 1)[0] as number;
        ref.delete(evicted);
      }
      memory.push(page);
    }
    // Every policy updates the CLOCK reference counts, capped at clockbits.
    ref.set(page, Math.min((ref.get(page) ?? 0) + 1, ref.has(page) ? o.clockBits : 1));
    lastUse.set(page, i);
    if (trace) steps.push({ page, hit: at >= 0, evicted, memory: [...memory], hits, misses });
  });
  return { ok: true, value: { policy, refs, steps, hits, misses } };
}

const LABELS: Record<PolicyName, [string, string]> = {
  FIFO: ['FirstIn', 'Lastin '],
  LRU: ['LRU', 'MRU'],
  MRU: ['LRU', 'MRU'],
  OPT: ['Left ', 'Right'],
  UNOPT: ['Left ', 'Right'],
  RAND: ['Left ', 'Right'],
  CLOCK: ['Left ', 'Right'],
};

/** The script's whole stdout with -c. */
export function formatPolicySolution(o: PolicyOptions, run: PolicyRun): string {
  const a = o.args;
  const lines = [
    `ARG addresses ${a.addresses}`,
    `ARG addressfile ${a.addressfile}`,
    `ARG numaddrs ${a.numaddrs}`,
    `ARG policy ${a.policy}`,
    `ARG clockbits ${a.clockbits}`,
    `ARG cachesize ${a.cachesize}`,
    `ARG maxpage ${a.maxpage}`,
    `ARG seed ${a.seed}`,
    `ARG notrace ${a.notrace ? 'True' : 'False'}`,
    '',
  ];
  if (!a.notrace) lines.push('Solving...', '');
  const [left, right] = LABELS[run.policy];
  for (const s of run.steps) {
    // The script keeps -1 as "no victim", so evicting page -1 prints '-' as well.
    const victim = s.evicted === null || s.evicted === -1 ? '-' : String(s.evicted);
    lines.push(
      `Access: ${s.page}  ${s.hit ? 'HIT ' : 'MISS'} ${left} -> ${pyList(s.memory).padStart(12)} <- ${right} Replaced:${victim} [Hits:${s.hits} Misses:${s.misses}]`,
    );
  }
  const rate = (100 * run.hits) / (run.hits + run.misses);
  lines.push('', `FINALSTATS hits ${run.hits}   misses ${run.misses}   hitrate ${fixed2(rate)}`, '');
  return `${lines.join('\n')}\n`;
}
