// Module-level actions: the only way the UI changes anything. They update the store and send
// commands through the one worker client; the worker's snapshots come back through the client.
import type { Protocol } from '../core/spec';
import type { ArchSource, Breakpoint, RunUntil, WorkerTestHook } from '../worker/protocol';
import {
  ARCH_KINDS,
  ARCH_LESSON,
  ARCH_PRIVS,
  ARCH_VA_RE,
  COMPARE_LESSON,
  DEFAULT_ARCH_SOURCE,
  DEFAULT_COMPARE_PROTOCOLS,
  DEFAULT_COMPARE_SCENARIO,
  MAX_BREAKPOINTS,
  DEFAULT_OSTEP_PROBLEM,
  DEFAULT_POLICY_FRAMES,
  DEFAULT_POLICY_STRING,
  IMAGE_LESSON,
  MAX_IMAGE_PASTE_CHARS,
  MAX_PASTE_CHARS,
  OSTEP_LESSON,
  POLICY_LESSON,
  SPEEDS,
} from '../worker/protocol';
import { adoptingFactory } from './boot';
import { WorkerClient } from './client';
import { nextHistorySeq } from './history';
import { DEFAULT_SCENARIO, formatFragment, type Link, parseFragment } from './permalink';
import { linkOf, positionOf } from './position';
import { DEFAULT_SPEED, type DockTab, useVm, type VmState } from './store';

let client: WorkerClient | null = null;

/** The worker main.tsx started early the first time, then a new one (src/state/boot.ts). */
const createWorker = adoptingFactory();

function theClient(): WorkerClient {
  if (!client) client = new WorkerClient({ createWorker });
  return client;
}

/** For tests: use a client with a fake worker. */
export function setClientForTests(c: WorkerClient | null): void {
  client = c;
}

/**
 * Opens a scenario, or (for OSTEP_LESSON) the OSTEP homework lesson on its built-in problem, or
 * (for IMAGE_LESSON) the machine-image view on its built-in example.
 */
export function loadScenario(scenarioId: string, step = 0): void {
  if (scenarioId === OSTEP_LESSON) {
    openOstepLesson(step);
    return;
  }
  if (scenarioId === IMAGE_LESSON) {
    openImageView(step);
    return;
  }
  if (scenarioId === ARCH_LESSON) {
    openArchView(DEFAULT_ARCH_SOURCE, step);
    return;
  }
  if (scenarioId === POLICY_LESSON) {
    openPolicyView(DEFAULT_POLICY_FRAMES, step);
    return;
  }
  if (scenarioId === COMPARE_LESSON) {
    openCompareView();
    return;
  }
  if (useVm.getState().scenarioId !== scenarioId) useVm.setState({ ptPid: null, dockTab: null });
  theClient().load(scenarioId, step);
}

/** The OSTEP two-level page-table homework on its built-in problem (seed 1). */
export function openOstepLesson(step = 0): void {
  theClient().openOstep({ kind: 'builtin', id: DEFAULT_OSTEP_PROBLEM }, step);
}

/**
 * Loads a pasted OSTEP problem (text as paging-multilevel-translate.py prints it without -c).
 * The text is untrusted: it is capped here, and parsed in the worker; a bad one only shows the
 * parser's error in the banner, the current problem and step stay.
 */
export function pasteOstepProblem(text: string): void {
  if (text.trim() === '') {
    useVm.setState({
      banner: 'Nothing to load: paste the text paging-multilevel-translate.py prints (without -c) first.',
    });
    return;
  }
  if (text.length > MAX_PASTE_CHARS) {
    useVm.setState({
      banner: `Could not load the pasted problem: it is ${Math.ceil(text.length / 1024)} KiB, over the ${
        MAX_PASTE_CHARS / 1024
      } KiB limit. The previous problem is still shown.`,
    });
    return;
  }
  theClient().paste(text);
}

/** The machine-image view on its built-in example (an x86-64 image with four accesses). */
export function openImageView(step = 0): void {
  theClient().openImage({ kind: 'builtin', id: 'example' }, step);
}

/** The page-replacement view on Belady's reference string with a cache of `frames` pages. */
export function openPolicyView(frames: number = DEFAULT_POLICY_FRAMES, step = 0): void {
  theClient().openPolicy({ id: DEFAULT_POLICY_STRING, frames }, step);
}

/** Another cache size for the replacement view, at the same step. */
export function setPolicyFrames(frames: number): void {
  const v = useVm.getState().policy;
  theClient().openPolicy({ id: v?.input.id ?? DEFAULT_POLICY_STRING, frames }, v?.step ?? 0);
}

/**
 * The protocol comparison: a scenario (default: lesson protocol-compare) run under each protocol
 * (default: those the lesson covers). The runs are computed in the worker.
 */
export function openCompareView(
  scenarioId: string = DEFAULT_COMPARE_SCENARIO,
  protocols: readonly Protocol[] = DEFAULT_COMPARE_PROTOCOLS,
): void {
  theClient().openCompare({ scenarioId, protocols: [...protocols] });
}

/**
 * The protocols the comparison shows (the panel's tick boxes); an empty choice is refused with a
 * message, and the shown one stays. Returns whether the choice was sent to the worker.
 */
export function setCompareProtocols(protocols: readonly Protocol[]): boolean {
  const v = useVm.getState().compare;
  if (!v) return false;
  if (protocols.length === 0) {
    useVm.setState({ banner: 'Keep at least one protocol ticked: there is nothing to compare without one.' });
    return false;
  }
  theClient().openCompare({ scenarioId: v.scenario.id, protocols: [...new Set(protocols)] });
  return true;
}

/** Another scenario for the comparison, with the same protocols. */
export function setCompareScenario(scenarioId: string): void {
  const v = useVm.getState().compare;
  theClient().openCompare({ scenarioId, protocols: [...(v?.selected ?? DEFAULT_COMPARE_PROTOCOLS)] });
}

/**
 * Runs a pasted machine image (the JSON of `vmscope translate`). Untrusted: capped here, parsed
 * and validated in the worker; a bad one only shows the error in the banner.
 */
export function pasteMachineImage(text: string): void {
  if (text.trim() === '') {
    useVm.setState({ banner: 'Nothing to open: paste the JSON of a machine image first.' });
    return;
  }
  if (text.length > MAX_IMAGE_PASTE_CHARS) {
    useVm.setState({
      banner: `Could not load the pasted machine image: it is ${Math.ceil(text.length / 1024)} KiB, over the ${
        MAX_IMAGE_PASTE_CHARS / 1024
      } KiB limit for pasting (vmscope translate reads larger files). The previous image is still shown.`,
    });
    return;
  }
  theClient().paste(text);
}

export function stepForward(n = 1): void {
  theClient().send({ type: 'step', n });
}

export function stepBack(n = 1): void {
  theClient().send({ type: 'back', n });
}

export function seek(step: number): void {
  theClient().send({ type: 'seek', step: Math.max(0, Math.floor(step)) });
}

// Play and pause are not applied optimistically: the worker answers each at once with a snapshot
// that carries `playing`, so the button never flickers between the two.
export function play(): void {
  theClient().send({ type: 'play', speed: useVm.getState().speed });
}

export function pause(): void {
  theClient().send({ type: 'pause' });
}

export function togglePlay(): void {
  if (useVm.getState().playing) pause();
  else play();
}

export function setSpeed(speed: number): void {
  const s = (SPEEDS as readonly number[]).includes(speed) ? speed : DEFAULT_SPEED;
  useVm.setState({ speed: s });
  if (useVm.getState().playing) theClient().send({ type: 'play', speed: s });
}

/** Seek to the next (+1) or previous (-1) key moment of the lesson, if there is one. */
export function jumpKeyMoment(direction: 1 | -1): void {
  const pos = positionOf(useVm.getState());
  if (!pos.ready) return;
  const steps = [...new Set(pos.keyMoments.map((k) => k.step))].sort((a, b) => a - b);
  const target =
    direction > 0 ? steps.find((s) => s > pos.step) : [...steps].reverse().find((s) => s < pos.step);
  if (target !== undefined) seek(target);
}

/** Home / End: the start of the run, or its last step. */
export function seekEdge(edge: 'start' | 'end'): void {
  const pos = positionOf(useVm.getState());
  if (edge === 'start') seek(0);
  else if (pos.ready) seek(pos.end);
}

export function runUntil(until: RunUntil): void {
  theClient().send({ type: 'runUntil', until });
}

export function dismissBanner(): void {
  useVm.setState({ banner: null });
}

export function showProcess(pid: number | null): void {
  useVm.setState({ ptPid: pid });
  // A big run's snapshots carry one process's tree: ask for this one's (core/view/treePid.ts).
  theClient().send({ type: 'showPid', pid });
}

/** Shows a tab of the shared panel area (null: the scenario's default). */
export function showDockTab(tab: DockTab | null): void {
  useVm.setState({ dockTab: tab });
}

/**
 * The tab shown: the one chosen, else the lesson's (its layout hint), else IPIs on a multi-core
 * machine and frames on a single core.
 */
export function dockTabOf(
  s: Pick<VmState, 'dockTab' | 'snapshot'> & Partial<Pick<VmState, 'scenarios' | 'scenarioId'>>,
): DockTab {
  const lesson = s.scenarios?.find((x) => x.id === s.scenarioId)?.layout?.dock;
  return s.dockTab ?? lesson ?? ((s.snapshot?.cores.length ?? 0) > 1 ? 'ipi' : 'frames');
}

/** Opens whatever the URL fragment names (or the default), reporting a bad link in the banner. */
function openLink(link: Link): void {
  if ('compare' in link) {
    openCompareView(link.compare, link.protocols);
  } else if ('ostep' in link) {
    if (link.ostep === 'pasted') openOstepLesson(0);
    else theClient().openOstep({ kind: 'builtin', id: link.ostep }, link.step);
  } else if ('arch' in link) {
    openArchView({ va: link.va, kind: link.kind, priv: link.priv }, link.step);
  } else if ('policy' in link) {
    theClient().openPolicy({ id: link.policy, frames: link.frames }, link.step);
  } else if ('image' in link) {
    openImageView(link.image === 'pasted' ? 0 : link.step);
  } else {
    loadScenario(link.scenarioId, link.step);
  }
}

function openFragment(hash: string): void {
  const parsed = parseFragment(hash);
  if (!parsed.ok && parsed.kept !== undefined && linkOf(useVm.getState()) !== null) {
    // Something is shown already: keep it, say why the link was not followed (the fragment is
    // set back to what is shown by the subscription in startApp, on the banner's change).
    useVm.setState({ banner: parsed.kept });
    return;
  }
  if (!parsed.ok) {
    useVm.setState({ banner: parsed.error });
    openLink(parsed.link);
    return;
  }
  openLink(parsed.link ?? { scenarioId: DEFAULT_SCENARIO, step: 0 });
}

function sameLink(a: Link | null, b: Link | null): boolean {
  return a !== null && b !== null && formatFragment(a) === formatFragment(b);
}

let started = false;

/** How long the URL's fragment waits for the steps to stop before it follows them. */
export const LINK_DELAY_MS = 150;

/**
 * Starts the app's state: opens the permalink in the fragment and keeps the fragment in sync with
 * the current step (history.replaceState, so stepping does not fill the back button's history).
 */
export function startApp(): void {
  if (started) return;
  started = true;
  openFragment(window.location.hash);

  // The write waits until the steps stop for LINK_DELAY_MS: a replaceState costs a few ms, and a
  // click on Step should spend them on the panels, not on a URL nobody reads between clicks.
  let pending: ReturnType<typeof setTimeout> | null = null;
  // The fragment as this code last saw or wrote it. Another one means a navigation (a pasted
  // link, a test's goto) whose hashchange has not run yet: the waiting write must not undo it.
  let known = window.location.hash;
  const writeLink = () => {
    pending = null;
    if (window.location.hash !== known) return;
    const s = useVm.getState();
    const link = s.playing ? null : linkOf(s);
    if (!link) return;
    const fragment = formatFragment(link);
    if (window.location.hash !== fragment) {
      const { pathname, search } = window.location;
      window.history.replaceState(window.history.state, '', `${pathname}${search}${fragment}`);
    }
    known = window.location.hash;
  };
  useVm.subscribe((s, prev) => {
    // Not while playing: the link is of a paused step.
    if (s.playing) return;
    // A new banner may say a link was not followed: then the fragment goes back to what is shown.
    const link = linkOf(s);
    if (!link || (sameLink(link, linkOf(prev)) && s.banner === prev.banner && !prev.playing)) return;
    if (pending !== null) clearTimeout(pending);
    pending = setTimeout(writeLink, LINK_DELAY_MS);
  });
  // Leaving the page (or hiding it) writes a waiting link at once, so it is never lost.
  window.addEventListener('pagehide', () => {
    if (pending === null) return;
    clearTimeout(pending);
    writeLink();
  });

  // A fragment edited by hand (or a pasted link in the same tab).
  window.addEventListener('hashchange', () => {
    known = window.location.hash;
    // A write still waiting is of the step shown before this navigation: on a reload before the
    // new step arrives, pagehide would put the old step back in the URL.
    if (pending !== null) {
      clearTimeout(pending);
      pending = null;
    }
    const parsed = parseFragment(window.location.hash);
    if (parsed.ok && sameLink(parsed.link, linkOf(useVm.getState()))) return;
    openFragment(window.location.hash);
  });
}

/** Turns the keyboard shortcuts on or off. */
export function setShortcuts(on: boolean): void {
  useVm.setState({ shortcuts: on });
}

/** Parses a breakpoint address a person typed: hex (0x optional), at most 64 bits. */
export function parseBreakAddress(text: string): { ok: true; va: string } | { ok: false; error: string } {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  const digits = t.startsWith('0x') ? t.slice(2) : t;
  if (!/^[0-9a-f]{1,16}$/.test(digits))
    return { ok: false, error: 'an address is up to 16 hex digits, like 0x7f0000001000' };
  return { ok: true, va: `0x${digits.replace(/^0+(?=.)/, '')}` };
}

function sendBreakpoints(list: Breakpoint[]): void {
  useVm.setState({ breakpoints: list });
  theClient().send({ type: 'breakpoints', list });
}

/** Adds a breakpoint (a duplicate or one past MAX_BREAKPOINTS is ignored); true if added. */
export function addBreakpoint(b: Breakpoint): boolean {
  const list = useVm.getState().breakpoints;
  const same = (x: Breakpoint) =>
    x.kind === b.kind &&
    (x.kind === 'event' ? b.kind === 'event' && x.on === b.on : b.kind === 'address' && x.va === b.va);
  if (list.length >= MAX_BREAKPOINTS || list.some(same)) return false;
  sendBreakpoints([...list, b]);
  return true;
}

export function removeBreakpoint(index: number): void {
  sendBreakpoints(useVm.getState().breakpoints.filter((_, i) => i !== index));
}

/** Lesson 3: the arch-compare view on an access (step 0) and the program's accesses after it. */
export function openArchView(source: ArchSource = DEFAULT_ARCH_SOURCE, step = 0): void {
  theClient().open({ kind: 'arch', source, step });
}

/**
 * Shows another access in the arch-compare view, from what a user typed. The text is untrusted:
 * a bad one changes nothing and the returned one-line error says why; null when it was sent.
 */
export function setArchAccess(vaText: string, kind: string, priv: string): string | null {
  const va = vaText.trim();
  if (va.length > 18 || !ARCH_VA_RE.test(va)) {
    return 'va: expected a hex address of at most 16 digits, like 0x602010';
  }
  const k = ARCH_KINDS.find((x) => x === kind);
  const p = ARCH_PRIVS.find((x) => x === priv);
  if (!k || !p) return 'kind/priv: choose read, write or fetch, and user or kernel';
  const hex = va.toLowerCase().startsWith('0x') ? va.toLowerCase() : `0x${va.toLowerCase()}`;
  openArchView({ va: hex, kind: k, priv: p }, 0);
  return null;
}

/** Test hooks only (installed with ?testhooks=1, see testHooks.ts): the worker throws or hangs. */
export function workerTestHook(hook: WorkerTestHook): void {
  theClient().testHook(hook);
}

/**
 * Asks the worker for the events of steps from..to of the shown scenario (the run-wide event
 * log); the answer lands in useHistory (src/state/history.ts). Does nothing outside a scenario.
 */
export function requestHistory(from: number, to: number): void {
  const s = useVm.getState();
  if (!s.snapshot || s.scenarioId === null) return;
  const seq = nextHistorySeq(s.snapshot.scenarioId);
  theClient().send({
    type: 'history',
    seq,
    from: Math.max(0, Math.floor(from)),
    to: Math.max(0, Math.floor(to)),
  });
}
