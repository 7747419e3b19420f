// Permalink v0: the URL fragment `#s=<scenario-id>&step=<n>`. The fragment is untrusted input
// (anyone can send a link), so it is parsed defensively: bounded length, a strict id pattern and a
// bounded whole-number step. Bad input falls back to the default scenario at step 0, with a
// readable message for the banner.

export const DEFAULT_SCENARIO = 'munmap-shootdown';
export const MAX_FRAGMENT = 200;
export const MAX_STEP = 1_000_000;
const ID_RE = /^[a-z0-9-]{1,40}$/;
const STEP_RE = /^[0-9]{1,7}$/;

export interface Permalink {
  scenarioId: string;
  step: number;
}

export type ParsedLink =
  /** `link` is null when the fragment is empty: open the default, say nothing. */
  { ok: true; link: Permalink | null } | { ok: false; error: string; link: Permalink };

/** Shows a piece of untrusted input in a message: short, printable ASCII only. */
export function quote(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return `"${clean.length > 24 ? `${clean.slice(0, 24)}…` : clean}"`;
}

function fallback(why: string): ParsedLink {
  return {
    ok: false,
    error: `This link could not be opened: ${why}. Showing ${DEFAULT_SCENARIO} from step 0 instead.`,
    link: { scenarioId: DEFAULT_SCENARIO, step: 0 },
  };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Parses `location.hash` (with or without the leading '#'). */
export function parseFragment(hash: string): ParsedLink {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw.length === 0) return { ok: true, link: null };
  if (raw.length > MAX_FRAGMENT) return fallback(`it is longer than ${MAX_FRAGMENT} characters`);
  let id: string | null = null;
  let step: string | null = null;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (value === null) return fallback('it is not correctly encoded');
    if (key === 's') id = value;
    else if (key === 'step') step = value;
    // Unknown keys are ignored, so later versions can add fields.
  }
  if (id === null) return fallback('it names no scenario (expected #s=<scenario>&step=<n>)');
  if (!ID_RE.test(id)) return fallback(`the scenario id ${quote(id)} is not valid`);
  let n = 0;
  if (step !== null) {
    if (!STEP_RE.test(step) || Number(step) > MAX_STEP) {
      return fallback(`the step ${quote(step)} is not a whole number from 0 to ${MAX_STEP}`);
    }
    n = Number(step);
  }
  return { ok: true, link: { scenarioId: id, step: n } };
}

export function formatFragment(link: Permalink): string {
  return `#s=${encodeURIComponent(link.scenarioId)}&step=${Math.max(0, Math.floor(link.step))}`;
}
