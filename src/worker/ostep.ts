// The OSTEP two-level page-table lesson in the worker: a parsed problem, its solved walks (from
// the core's translateMultilevel, the same code `vmscope ostep multilevel` prints), and a cursor.
// Each virtual address is 2 to 4 steps: split the VA, read the page-directory entry, read the
// page-table entry, form the physical address and read the byte. Step 0 is the problem itself.
// The view sent to the UI is plain data: the panels only draw it.
import {
  ML_PAGE_SIZE,
  type MultilevelEntry,
  type MultilevelProblem,
  type MultilevelTranslation,
  solveMultilevel,
} from '../core/ostep/multilevel';
import { parseMultilevelProblem } from '../scenarios/ostep/parse';
import { OSTEP_BUILTIN_LABEL, OSTEP_BUILTIN_TEXT } from './ostepBuiltin';
import { OSTEP_LESSON, type OstepProblemId, type OstepSource, type RunUntil } from './protocol';

export type OstepPhase = 'split' | 'pde' | 'pte' | 'pa';

/** One entry of the walk as read from memory. */
export interface OstepEntryView {
  /** The 5-bit index into the table. */
  index: number;
  /** The physical page holding the table (the entry is byte `index` of it). */
  page: number;
  value: number;
  valid: boolean;
  pfn: number;
}

/** The virtual address the current step is about, and as much of its walk as has been done. */
export interface OstepVaView {
  /** 0-based position in the problem's list of addresses. */
  n: number;
  va: number;
  phase: OstepPhase;
  pdIndex: number;
  ptIndex: number;
  offset: number;
  /** Read in the `pde` step; null before. */
  pde: OstepEntryView | null;
  /** Read in the `pte` step; null before (and never when the PDE is not valid). */
  pte: OstepEntryView | null;
  /** The translation, in the `pa` step. */
  pa: { pa: number; page: number; byte: number; value: number } | null;
  /** The script's words once the walk has read an invalid entry. */
  fault: string | null;
}

/** One address of the problem in the list of answers: its result once its walk is done. */
export interface OstepAnswer {
  n: number;
  va: number;
  state: 'todo' | 'now' | 'done';
  /** "PA 0xc34, value 0x06" or the fault, as soon as the walk reached it; else null. */
  result: string | null;
  fault: boolean;
}

export interface OstepView {
  lesson: typeof OSTEP_LESSON;
  title: string;
  summary: string;
  problem: {
    /** The built-in problem's name, or null for a pasted one. */
    builtin: OstepProblemId | null;
    /** The paste that loaded this problem (see ToWorker `ostepPaste`), or null. */
    pasteSeq: number | null;
    label: string;
    pdbr: number;
    vaCount: number;
  };
  step: number;
  end: number;
  keyMoments: { label: string; step: number }[];
  current: OstepVaView | null;
  /** The 32 bytes of each page the walk has read so far (the directory from the start). */
  pages: { pd: number[]; pt: number[] | null; data: number[] | null };
  /** One sentence about this step. */
  narration: string[];
  answers: OstepAnswer[];
}

interface StepRef {
  n: number;
  phase: OstepPhase;
  /** This step reads an invalid entry. */
  fault: boolean;
}

export interface OstepSession {
  problem: MultilevelProblem;
  traces: MultilevelTranslation[];
  /** steps[i] is what step i + 1 shows. */
  steps: StepRef[];
  step: number;
  builtin: OstepProblemId | null;
  pasteSeq: number | null;
  label: string;
}

export type OstepOpenResult = { ok: true; session: OstepSession } | { ok: false; error: string };

/** Key-moment markers are put on the first this many addresses only (one per address). */
const MAX_MARKED = 100;

export const OSTEP_TITLE = 'OSTEP homework: two-level page table';
const SUMMARY =
  '15-bit virtual addresses: a 5-bit page-directory index, a 5-bit page-table index and a 5-bit offset. ' +
  'Pages are 32 bytes; each entry is one byte: a valid bit and a 7-bit PFN.';

const hx = (n: number, width = 0) => `0x${n.toString(16).padStart(width, '0')}`;

function stepsOf(traces: readonly MultilevelTranslation[]): StepRef[] {
  const out: StepRef[] = [];
  traces.forEach((t, n) => {
    out.push({ n, phase: 'split', fault: false });
    out.push({ n, phase: 'pde', fault: t.outcome.kind === 'pde-fault' });
    if (t.pte) out.push({ n, phase: 'pte', fault: t.outcome.kind === 'pte-fault' });
    if (t.outcome.kind === 'ok') out.push({ n, phase: 'pa', fault: false });
  });
  return out;
}

/** Parses and solves a problem. A pasted text is untrusted: the parser caps and checks it. */
export function openOstep(source: OstepSource, pasteSeq: number | null = null): OstepOpenResult {
  const text = source.kind === 'builtin' ? OSTEP_BUILTIN_TEXT[source.id] : source.text;
  if (text === undefined) return { ok: false, error: 'unknown built-in OSTEP problem' };
  const r = parseMultilevelProblem(text);
  if (!r.ok) return { ok: false, error: r.error };
  const problem = r.value;
  const traces = solveMultilevel(problem);
  const seed = problem.args.seed.length > 12 ? `${problem.args.seed.slice(0, 12)}…` : problem.args.seed;
  return {
    ok: true,
    session: {
      problem,
      traces,
      steps: stepsOf(traces),
      step: 0,
      builtin: source.kind === 'builtin' ? source.id : null,
      pasteSeq: source.kind === 'builtin' ? null : pasteSeq,
      label: source.kind === 'builtin' ? OSTEP_BUILTIN_LABEL[source.id] : `pasted problem (seed ${seed})`,
    },
  };
}

export function ostepEnd(s: OstepSession): number {
  return s.steps.length;
}

export function ostepSeek(s: OstepSession, step: number): void {
  s.step = Math.max(0, Math.min(ostepEnd(s), Math.floor(step)));
}

/** Forward to the next step that reads an invalid entry ('fault'), or to the end. */
export function ostepRunUntil(s: OstepSession, until: RunUntil): void {
  while (s.step < ostepEnd(s)) {
    s.step += 1;
    if (until === 'fault' && s.steps[s.step - 1]?.fault) return;
  }
}

function entryView(e: MultilevelEntry): OstepEntryView {
  return { index: e.index, page: e.addr >> 5, value: e.value, valid: e.valid, pfn: e.pfn };
}

function pageBytes(memory: Uint8Array, page: number): number[] {
  return Array.from(memory.subarray(page * ML_PAGE_SIZE, (page + 1) * ML_PAGE_SIZE));
}

const PHASE_ORDER: Record<OstepPhase, number> = { split: 0, pde: 1, pte: 2, pa: 3 };

function resultText(t: MultilevelTranslation): string {
  return t.outcome.kind === 'ok'
    ? `PA ${hx(t.outcome.pa, 3)}, value ${hx(t.outcome.value, 2)}`
    : t.outcome.message;
}

function sentence(s: OstepSession, v: OstepVaView): string {
  const total = s.traces.length;
  switch (v.phase) {
    case 'split':
      return `VA ${hx(v.va, 4)} (${v.n + 1} of ${total}) splits into PD index ${hx(v.pdIndex)} (${v.pdIndex}), PT index ${hx(v.ptIndex)} (${v.ptIndex}) and offset ${hx(v.offset)} (${v.offset}).`;
    case 'pde': {
      const e = v.pde as OstepEntryView;
      const where = `PDE index ${hx(e.index)} → byte ${e.index} of page ${e.page} (PDBR): ${hx(e.value, 2)}`;
      return e.valid
        ? `${where}, valid, PFN ${hx(e.pfn, 2)}: the page table is in page ${e.pfn}.`
        : `${where}, not valid → ${v.fault}.`;
    }
    case 'pte': {
      const e = v.pte as OstepEntryView;
      const where = `PTE index ${hx(e.index)} → byte ${e.index} of page ${e.page} (the page table): ${hx(e.value, 2)}`;
      return e.valid
        ? `${where}, valid, PFN ${hx(e.pfn, 2)}: the data is in page ${e.pfn}.`
        : `${where}, not valid → ${v.fault}.`;
    }
    case 'pa': {
      const p = v.pa as NonNullable<OstepVaView['pa']>;
      return `PA = PFN ${hx(p.page, 2)} × 32 + offset ${hx(v.offset)} = ${hx(p.pa, 3)}: byte ${p.byte} of page ${p.page} holds ${hx(p.value, 2)}.`;
    }
  }
}

export function ostepView(s: OstepSession): OstepView {
  const { problem, traces } = s;
  const ref = s.step > 0 ? s.steps[s.step - 1] : undefined;
  let current: OstepVaView | null = null;
  const pages: OstepView['pages'] = { pd: pageBytes(problem.memory, problem.pdbr), pt: null, data: null };
  const t = ref ? traces[ref.n] : undefined;
  if (ref && t) {
    const at = PHASE_ORDER[ref.phase];
    const pde = at >= 1 ? entryView(t.pde) : null;
    const pte = at >= 2 && t.pte ? entryView(t.pte) : null;
    const pa =
      at >= 3 && t.outcome.kind === 'ok'
        ? {
            pa: t.outcome.pa,
            page: t.outcome.pa >> 5,
            byte: t.outcome.pa & 0x1f,
            value: t.outcome.value,
          }
        : null;
    const faultShown =
      (t.outcome.kind === 'pde-fault' && at >= 1) || (t.outcome.kind === 'pte-fault' && at >= 2);
    current = {
      n: ref.n,
      va: t.va,
      phase: ref.phase,
      pdIndex: (t.va >> 10) & 0x1f,
      ptIndex: (t.va >> 5) & 0x1f,
      offset: t.va & 0x1f,
      pde,
      pte,
      pa,
      fault: faultShown && t.outcome.kind !== 'ok' ? t.outcome.message : null,
    };
    if (pte) pages.pt = pageBytes(problem.memory, pte.page);
    if (pa) pages.data = pageBytes(problem.memory, pa.page);
  }

  // An address is done once the step showing its result has been reached.
  const lastStepOf = new Map<number, number>();
  s.steps.forEach((r, i) => {
    lastStepOf.set(r.n, i + 1);
  });
  const answers: OstepAnswer[] = traces.map((tr, n) => {
    const done = (lastStepOf.get(n) ?? 0) <= s.step;
    const state = done ? 'done' : ref?.n === n ? 'now' : 'todo';
    return {
      n,
      va: tr.va,
      state,
      result: done ? resultText(tr) : null,
      fault: done && tr.outcome.kind !== 'ok',
    };
  });

  const keyMoments: OstepView['keyMoments'] = [];
  s.steps.forEach((r, i) => {
    if (r.phase === 'split' && r.n < MAX_MARKED) {
      const tr = traces[r.n];
      if (tr) keyMoments.push({ label: `VA ${hx(tr.va, 4)}`, step: i + 1 });
    }
  });

  const narration = current
    ? [sentence(s, current)]
    : [
        traces.length === 0
          ? `Problem ${s.label}: it has no virtual addresses to translate (ARG num ${problem.args.num.slice(0, 12)}).`
          : `Problem ${s.label}: ${traces.length} virtual address${traces.length === 1 ? '' : 'es'} to translate. The page directory is in page ${problem.pdbr} (the PDBR). Press Step (→) to begin.`,
      ];

  return {
    lesson: OSTEP_LESSON,
    title: OSTEP_TITLE,
    summary: SUMMARY,
    problem: {
      builtin: s.builtin,
      pasteSeq: s.pasteSeq,
      label: s.label,
      pdbr: problem.pdbr,
      vaCount: traces.length,
    },
    step: s.step,
    end: ostepEnd(s),
    keyMoments,
    current,
    pages,
    narration,
    answers,
  };
}
