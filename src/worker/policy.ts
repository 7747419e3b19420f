// The page-replacement view in the worker: one reference string run under FIFO, LRU, OPT and
// CLOCK by the core's runPolicy (OSTEP's paging-policy.py, the same code `vmscope ostep` uses),
// side by side, and a cursor over the references: step k shows the first k accesses of every
// policy at once. Step 0 is the empty cache. CLOCK in the script probes random slots, so its trace
// depends on the random stream: it is run with the script's default seed 0 and 2 clock bits.
// The view sent to the UI is plain data: the panels only draw it.
import { type PolicyName, type PolicyOptions, type PolicyRun, runPolicy } from '../core/ostep/policy';
import {
  POLICY_FRAMES,
  POLICY_LESSON,
  type PolicySource,
  type PolicyStringId,
  type RunUntil,
} from './protocol';

/** The policies shown, left to right. */
export const VIEW_POLICIES = ['FIFO', 'LRU', 'OPT', 'CLOCK'] as const satisfies readonly PolicyName[];
export type ViewPolicy = (typeof VIEW_POLICIES)[number];

/** The seed and clock bits CLOCK runs with (paging-policy.py's defaults, -s 0 -b 2). */
export const CLOCK_SEED = 0;
export const CLOCK_BITS = 2;

/** The built-in reference strings. */
export const POLICY_REFS: Readonly<Record<PolicyStringId, readonly number[]>> = {
  belady: [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5],
};

const STRING_LABEL: Readonly<Record<PolicyStringId, string>> = {
  belady: "Belady's string",
};

/** One reference as a policy handled it; `state` says whether the cursor has reached it. */
export interface PolicyRowView {
  n: number;
  page: number;
  state: 'todo' | 'now' | 'done';
  /** null until the reference is reached. */
  hit: boolean | null;
  evicted: number | null;
  /** The cache after the access, in the script's order (first to go under FIFO/LRU on the left). */
  memory: number[] | null;
}

export interface PolicyColumnView {
  policy: ViewPolicy;
  /** How the policy picks its victim, in a few words. */
  rule: string;
  /** Hits and misses up to the current step. */
  hits: number;
  misses: number;
  /** The running hit rate, e.g. "42.9%" ("–" before the first reference). */
  rate: string;
  rows: PolicyRowView[];
}

export interface PolicyView {
  lesson: typeof POLICY_LESSON;
  title: string;
  summary: string;
  input: { id: PolicyStringId; label: string; frames: number; refs: number[] };
  /** The cache sizes the view offers. */
  framesChoices: number[];
  /** FIFO's misses over the whole string for each offered cache size (Belady's anomaly). */
  fifoMisses: { frames: number; misses: number }[];
  step: number;
  end: number;
  keyMoments: { label: string; step: number }[];
  columns: PolicyColumnView[];
  narration: string[];
}

export interface PolicySession {
  id: PolicyStringId;
  frames: number;
  refs: number[];
  runs: PolicyRun[];
  /** FIFO's total misses per offered cache size. */
  fifoMisses: { frames: number; misses: number }[];
  step: number;
}

export type PolicyOpenResult = { ok: true; session: PolicySession } | { ok: false; error: string };

export const POLICY_TITLE = 'Page replacement: FIFO, LRU, OPT, Clock';
const SUMMARY =
  'One reference string, four replacement policies, the same number of page frames. ' +
  'Each column shows the cache after every reference, the hits, the misses and the page evicted.';

const RULES: Record<ViewPolicy, string> = {
  FIFO: 'evicts the oldest page',
  LRU: 'evicts the least recently used',
  OPT: 'evicts the one needed last',
  CLOCK: `seed ${CLOCK_SEED}, ${CLOCK_BITS} use bits, random probes (paging-policy.py)`,
};

/** runPolicy's options for a list of pages, as paging-policy.py would be run with -a. */
export function policyOptions(policy: PolicyName, refs: readonly number[], frames: number): PolicyOptions {
  return {
    args: {
      addresses: refs.join(','),
      addressfile: '',
      numaddrs: String(refs.length),
      policy,
      clockbits: String(CLOCK_BITS),
      cachesize: String(frames),
      maxpage: '10',
      seed: String(CLOCK_SEED),
      notrace: false,
    },
    policy,
    cacheSize: frames,
    clockBits: CLOCK_BITS,
    seed: BigInt(CLOCK_SEED),
    refs: { kind: 'list', pages: [...refs] },
  };
}

function run(policy: PolicyName, refs: readonly number[], frames: number): PolicyRun {
  const r = runPolicy(policyOptions(policy, refs, frames));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

export function openPolicy(source: PolicySource): PolicyOpenResult {
  const refs = POLICY_REFS[source.id];
  if (refs === undefined) return { ok: false, error: 'unknown built-in reference string' };
  if (!(POLICY_FRAMES as readonly number[]).includes(source.frames)) {
    return {
      ok: false,
      error: `a cache of ${source.frames} frames is not offered (${POLICY_FRAMES.join(', ')})`,
    };
  }
  return {
    ok: true,
    session: {
      id: source.id,
      frames: source.frames,
      refs: [...refs],
      runs: VIEW_POLICIES.map((p) => run(p, refs, source.frames)),
      fifoMisses: POLICY_FRAMES.map((f) => ({ frames: f, misses: run('FIFO', refs, f).misses })),
      step: 0,
    },
  };
}

export function policyEnd(s: PolicySession): number {
  return s.refs.length;
}

export function policySeek(s: PolicySession, step: number): void {
  s.step = Math.max(0, Math.min(policyEnd(s), Math.floor(step)));
}

/** A fault here is a page fault: forward to the next reference that misses under some policy. */
export function policyRunUntil(s: PolicySession, until: RunUntil): void {
  while (s.step < policyEnd(s)) {
    s.step += 1;
    if (until === 'fault' && s.runs.some((r) => r.steps[s.step - 1]?.hit === false)) return;
  }
}

const pct = (hits: number, n: number) => (n === 0 ? '–' : `${((100 * hits) / n).toFixed(1)}%`);

function sentence(s: PolicySession): string {
  const i = s.step - 1;
  const page = s.refs[i];
  const parts = s.runs.map((r) => {
    const st = r.steps[i];
    if (!st) return `${r.policy} ?`;
    if (st.hit) return `${r.policy} hit`;
    return st.evicted === null ? `${r.policy} miss` : `${r.policy} miss, evicts ${st.evicted}`;
  });
  return `Reference ${s.step} of ${s.refs.length}: page ${page}. ${parts.join('; ')}.`;
}

export function policyView(s: PolicySession): PolicyView {
  const columns: PolicyColumnView[] = s.runs.map((r) => {
    const last = s.step > 0 ? r.steps[s.step - 1] : undefined;
    return {
      policy: r.policy as ViewPolicy,
      rule: RULES[r.policy as ViewPolicy],
      hits: last?.hits ?? 0,
      misses: last?.misses ?? 0,
      rate: pct(last?.hits ?? 0, s.step),
      rows: r.steps.map((st, n) => {
        const reached = n < s.step;
        return {
          n,
          page: st.page,
          state: n === s.step - 1 ? 'now' : reached ? 'done' : 'todo',
          hit: reached ? st.hit : null,
          evicted: reached ? st.evicted : null,
          memory: reached ? [...st.memory] : null,
        };
      }),
    };
  });

  // Key moments: the references where the policies disagree (some hit, some miss).
  const keyMoments: PolicyView['keyMoments'] = [];
  s.refs.forEach((page, i) => {
    const hits = s.runs.map((r) => r.steps[i]?.hit);
    if (hits.some(Boolean) && hits.some((h) => !h)) keyMoments.push({ label: `page ${page}`, step: i + 1 });
  });

  const narration: string[] = [];
  if (s.step === 0) {
    narration.push(
      `${STRING_LABEL[s.id]} ${s.refs.join(',')} with ${s.frames} page frame${s.frames === 1 ? '' : 's'}, all empty. Press Step (→) to make the first reference.`,
    );
  } else {
    narration.push(sentence(s));
  }
  if (s.step === policyEnd(s)) {
    narration.push(
      `Hit rates: ${s.runs.map((r) => `${r.policy} ${r.hits}/${r.refs.length} (${pct(r.hits, r.refs.length)})`).join(', ')}.`,
    );
  }
  const fifoHere = s.fifoMisses.find((f) => f.frames === s.frames);
  const fifoMore = s.fifoMisses.find((f) => f.frames === s.frames + 1);
  if (fifoHere && fifoMore && fifoMore.misses > fifoHere.misses) {
    narration.push(
      `Belady's anomaly: FIFO misses ${fifoHere.misses} times with ${s.frames} frames but ${fifoMore.misses} times with ${s.frames + 1}.`,
    );
  }

  return {
    lesson: POLICY_LESSON,
    title: POLICY_TITLE,
    summary: SUMMARY,
    input: { id: s.id, label: STRING_LABEL[s.id], frames: s.frames, refs: [...s.refs] },
    framesChoices: [...POLICY_FRAMES],
    fifoMisses: s.fifoMisses.map((f) => ({ ...f })),
    step: s.step,
    end: policyEnd(s),
    keyMoments,
    columns,
    narration,
  };
}
