// The arch-compare view in the worker (lesson 3): step 0 shows the access the user typed, steps
// 1..N the program's accesses in order, each translated by x86-64 4-level, x86-64 5-level, RISC-V
// Sv39 and ARM64 at once by the core's compareProbe (the walkers `vmscope translate` runs). Every
// access walks freshly built tables, so stepping back and forth shows the same thing each time.
import { type ArchColumn, compareProbe } from '../core/image/archCompare';
import { type Probe, PROGRAM_ACCESSES, PROGRAM_PAGES, parseProbeVa } from '../core/image/archProgram';
import { hexAddr } from '../core/image/types';
import { ARCH_KINDS, ARCH_LESSON, ARCH_PRIVS, type ArchSource, type RunUntil } from './protocol';

export interface ArchProgramRow {
  /** The step that shows this access (1..N). */
  step: number;
  label: string;
  va: string;
  kind: Probe['kind'];
  priv: Probe['priv'];
  state: 'todo' | 'now' | 'done';
  /** How many of the four machines fault on it. */
  faults: number;
}

export interface ArchView {
  lesson: typeof ARCH_LESSON;
  title: string;
  summary: string;
  /** The user's access (shown at step 0), normalised. */
  input: ArchSource;
  step: number;
  end: number;
  keyMoments: { label: string; step: number }[];
  /** The access shown now. */
  probe: { label: string; va: string; kind: Probe['kind']; priv: Probe['priv'] };
  pages: { name: string; va: string; pa: string; rights: string }[];
  program: ArchProgramRow[];
  columns: ArchColumn[];
  narration: string[];
}

export interface ArchSession {
  custom: Probe;
  step: number;
}

export type ArchOpenResult = { ok: true; session: ArchSession } | { ok: false; error: string };

const TITLE = 'One program on four MMUs: x86-64, RISC-V Sv39, ARM64';
const SUMMARY =
  'The same pages mapped to the same frames on x86-64 (4- and 5-level), RISC-V Sv39 and ARM64 ' +
  '(4 KiB granule). Type a VA, or step through the program: each MMU splits it its own way, reads ' +
  'its own entry format and reports a fault in its own terms.';

/** The source is untrusted (a link, a form): each field is checked and named in the error. */
export function openArch(source: ArchSource): ArchOpenResult {
  const va = parseProbeVa(String(source.va));
  if (!va.ok) return va;
  const kind = ARCH_KINDS.find((k) => k === source.kind);
  if (!kind) return { ok: false, error: `kind: expected ${ARCH_KINDS.join(', ')}` };
  const priv = ARCH_PRIVS.find((p) => p === source.priv);
  if (!priv) return { ok: false, error: `priv: expected ${ARCH_PRIVS.join(', ')}` };
  return { ok: true, session: { custom: { va: va.va, kind, priv }, step: 0 } };
}

export function archEnd(_s: ArchSession): number {
  return PROGRAM_ACCESSES.length;
}

export function archSeek(s: ArchSession, step: number): void {
  s.step = Math.max(0, Math.min(archEnd(s), Math.floor(step)));
}

const faultsOf = (p: Probe) => compareProbe(p).filter((c) => !c.outcome.ok).length;

/** Forward to the next program access that faults on some machine ('fault'), or to the end. */
export function archRunUntil(s: ArchSession, until: RunUntil): void {
  while (s.step < archEnd(s)) {
    s.step += 1;
    const a = PROGRAM_ACCESSES[s.step - 1];
    if (until === 'fault' && a && faultsOf(a) > 0) return;
  }
}

const rightsOf = (p: (typeof PROGRAM_PAGES)[number]) =>
  `${p.user ? 'user' : 'kernel'} r${p.write ? 'w' : '-'}${p.exec ? 'x' : '-'}`;

function narrate(label: string, p: Probe, columns: ArchColumn[]): string[] {
  const head = `${label}: a ${p.priv}-mode ${p.kind} of ${hexAddr(p.va)}.`;
  const ok = columns.filter((c) => c.outcome.ok);
  const pas = new Set(ok.map((c) => (c.outcome.ok ? c.outcome.pa : '')));
  if (ok.length === columns.length && pas.size === 1) {
    return [
      head,
      `All four translate it to ${[...pas][0]}, reading ${columns.map((c) => c.walk.length).join(', ')} entries: the same mapping, split ${columns.map((c) => c.pattern).join(' / ')}.`,
    ];
  }
  if (ok.length === 0) return [head, 'All four refuse it, each with its own exception.'];
  return [
    head,
    `${ok.map((c) => c.title).join(' and ')} translate it; ${columns
      .filter((c) => !c.outcome.ok)
      .map((c) => c.title)
      .join(' and ')} fault.`,
  ];
}

export function archView(s: ArchSession): ArchView {
  const program: ArchProgramRow[] = PROGRAM_ACCESSES.map((a, n) => ({
    step: n + 1,
    label: a.label,
    va: hexAddr(a.va),
    kind: a.kind,
    priv: a.priv,
    state: n + 1 === s.step ? 'now' : n + 1 < s.step ? 'done' : 'todo',
    faults: faultsOf(a),
  }));
  const shown =
    s.step === 0 ? { ...s.custom, label: 'Your access' } : (PROGRAM_ACCESSES[s.step - 1] ?? s.custom);
  const label = 'label' in shown ? shown.label : 'Your access';
  const columns = compareProbe(shown);
  return {
    lesson: ARCH_LESSON,
    title: TITLE,
    summary: SUMMARY,
    input: { va: hexAddr(s.custom.va), kind: s.custom.kind, priv: s.custom.priv },
    step: s.step,
    end: archEnd(s),
    keyMoments: program
      .filter((r) => r.faults > 0)
      .map((r) => ({ label: `${r.label}: faults`, step: r.step })),
    probe: { label, va: hexAddr(shown.va), kind: shown.kind, priv: shown.priv },
    pages: PROGRAM_PAGES.map((p) => ({
      name: p.name,
      va: hexAddr(p.va),
      pa: hexAddr(p.pa),
      rights: rightsOf(p),
    })),
    program,
    columns,
    narration: narrate(s.step === 0 ? 'Your access' : `Step ${s.step}, ${label}`, shown, columns),
  };
}
