// Permalink v0: the URL fragment `#s=<scenario-id>&step=<n>`, or `#ostep=<problem>&step=<n>` for
// `#compare=<scenario>&protocols=linux-x86,counter,...` opens the protocol comparison. Or
// the OSTEP homework lesson on a built-in problem (a pasted problem is not in the link: it reads
// `#ostep=pasted&step=<n>`, which opens the built-in problem with a note), or
// `#image=example&step=<n>` for the machine-image view (likewise `#image=pasted`). The fragment is
// `#policy=belady&frames=<n>&step=<n>` opens the page-replacement view. The fragment is
// untrusted input (anyone can send a link), so it is parsed defensively: bounded length, a strict
// id pattern and a bounded whole-number step. Bad input falls back to the default scenario (or,
// for an OSTEP link, the built-in OSTEP problem) at step 0, with a readable message for the banner.
import type { Protocol } from '../core/spec';
import {
  ARCH_KINDS,
  ARCH_PRIVS,
  ARCH_VA_RE,
  type ArchSource,
  DEFAULT_ARCH_SOURCE,
  COMPARE_PROTOCOLS,
  DEFAULT_COMPARE_PROTOCOLS,
  DEFAULT_COMPARE_SCENARIO,
  DEFAULT_OSTEP_PROBLEM,
  DEFAULT_POLICY_FRAMES,
  DEFAULT_POLICY_STRING,
  OSTEP_PROBLEMS,
  type OstepProblemId,
  POLICY_FRAMES,
  POLICY_STRINGS,
  type PolicyStringId,
} from '../worker/protocol';

export const DEFAULT_SCENARIO = 'munmap-shootdown';
export const MAX_FRAGMENT = 200;
/** A comparison link naming all twelve protocols is about 220 characters (a scenario id up to 40 more). */
export const MAX_COMPARE_FRAGMENT = 320;
export const MAX_STEP = 1_000_000;
const ID_RE = /^[a-z0-9-]{1,40}$/;
const STEP_RE = /^[0-9]{1,7}$/;

export interface Permalink {
  scenarioId: string;
  step: number;
}

/** The OSTEP lesson on a built-in problem; 'pasted' only ever comes out of formatFragment. */
export interface OstepLink {
  ostep: OstepProblemId | 'pasted';
  step: number;
}

/** The machine-image view on its built-in example; 'pasted' only comes out of formatFragment. */
export interface ImageLink {
  image: 'example' | 'pasted';
  step: number;
}

/** The page-replacement view on a built-in reference string with a cache of `frames` pages. */
export interface PolicyLink {
  policy: PolicyStringId;
  frames: number;
  step: number;
}

/** Lesson 3, `#arch=compare&va=<hex>&kind=<read|write|fetch>&priv=<user|kernel>&step=<n>`. */
export interface ArchLink extends ArchSource {
  arch: 'compare';
  step: number;
}

export type Link = Permalink | OstepLink | ImageLink | PolicyLink | ArchLink | CompareLink;
/** The protocol comparison: a scenario under several protocols (in COMPARE_PROTOCOLS order). */
export interface CompareLink {
  compare: string;
  protocols: Protocol[];
}

export type ParsedLink =
  /** `link` is null when the fragment is empty: open the default, say nothing. */
  | { ok: true; link: Link | null }
  /**
   * `kept`, when present, is the message to show instead if the app keeps what it already shows
   * rather than opening `link` (a bad comparison link leaves the current view in place).
   */
  | { ok: false; error: string; link: Link; kept?: string };

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

const OSTEP_DEFAULT_NAME = `the built-in OSTEP problem (${DEFAULT_OSTEP_PROBLEM})`;

function ostepFallback(why: string): ParsedLink {
  return {
    ok: false,
    error: `This link could not be opened: ${why}. Showing ${OSTEP_DEFAULT_NAME} from step 0 instead.`,
    link: { ostep: DEFAULT_OSTEP_PROBLEM, step: 0 },
  };
}

const IMAGE_DEFAULT_NAME = 'the built-in example image';

function imageFallback(why: string): ParsedLink {
  return {
    ok: false,
    error: `This link could not be opened: ${why}. Showing ${IMAGE_DEFAULT_NAME} from step 0 instead.`,
    link: { image: 'example', step: 0 },
  };
}

const POLICY_DEFAULT_NAME = `the replacement view on ${DEFAULT_POLICY_STRING} with ${DEFAULT_POLICY_FRAMES} frames`;

function policyFallback(why: string): ParsedLink {
  return {
    ok: false,
    error: `This link could not be opened: ${why}. Showing ${POLICY_DEFAULT_NAME} from step 0 instead.`,
    link: { policy: DEFAULT_POLICY_STRING, frames: DEFAULT_POLICY_FRAMES, step: 0 },
  };
}

function archFallback(why: string): ParsedLink {
  return {
    ok: false,
    error: `This link could not be opened: ${why}. Showing the arch-compare view on ${DEFAULT_ARCH_SOURCE.va} instead.`,
    link: { arch: 'compare', ...DEFAULT_ARCH_SOURCE, step: 0 },
  };
}

/** The arch-compare part of a fragment; every field is checked and named in the error. */
function parseArchLink(
  arch: string,
  va: string | null,
  kind: string | null,
  priv: string | null,
  step: string | null,
): ParsedLink {
  if (arch !== 'compare') return archFallback(`the view ${quote(arch)} is not known (expected arch=compare)`);
  const v = va ?? DEFAULT_ARCH_SOURCE.va;
  if (!ARCH_VA_RE.test(v))
    return archFallback(`the VA ${quote(v)} is not a hex address of at most 16 digits`);
  const k = ARCH_KINDS.find((x) => x === (kind ?? DEFAULT_ARCH_SOURCE.kind));
  if (!k) return archFallback(`the access kind ${quote(kind ?? '')} is not one of ${ARCH_KINDS.join(', ')}`);
  const p = ARCH_PRIVS.find((x) => x === (priv ?? DEFAULT_ARCH_SOURCE.priv));
  if (!p) return archFallback(`the mode ${quote(priv ?? '')} is not one of ${ARCH_PRIVS.join(', ')}`);
  const n = parseStep(step);
  if (typeof n === 'string') return archFallback(n);
  return { ok: true, link: { arch: 'compare', va: v.toLowerCase(), kind: k, priv: p, step: n } };
}

const COMPARE_DEFAULT_NAME = `the default comparison (${DEFAULT_COMPARE_SCENARIO})`;

function compareFallback(why: string): ParsedLink {
  return {
    ok: false,
    error: `This link could not be opened: ${why}. Showing ${COMPARE_DEFAULT_NAME} instead.`,
    kept: `This link could not be opened: ${why}. The current view is still shown.`,
    link: { compare: DEFAULT_COMPARE_SCENARIO, protocols: [...DEFAULT_COMPARE_PROTOCOLS] },
  };
}

/** Short names `vmscope compare` accepts too. */
const PROTOCOL_ALIASES: Readonly<Record<string, Protocol>> = {
  linux: 'linux-x86',
  invlpgb: 'amd-invlpgb',
  arm: 'arm-broadcast',
  riscv: 'riscv-sbi',
};

/** A comma-separated protocol list from a link: known names only, put in the offered order. */
export function parseProtocols(list: string): Protocol[] | string {
  const names = list.split(',').filter((x) => x !== '');
  if (names.length === 0) return 'it names no protocol';
  if (names.length > COMPARE_PROTOCOLS.length) {
    return `it names ${names.length} protocols (there are ${COMPARE_PROTOCOLS.length})`;
  }
  const chosen = new Set<Protocol>();
  for (const name of names) {
    const p = PROTOCOL_ALIASES[name] ?? COMPARE_PROTOCOLS.find((x) => x === name);
    if (p === undefined) {
      return `the protocol ${quote(name)} is not known (known: ${COMPARE_PROTOCOLS.join(', ')})`;
    }
    chosen.add(p);
  }
  return COMPARE_PROTOCOLS.filter((p) => chosen.has(p));
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function parseStep(step: string | null): number | string {
  if (step === null) return 0;
  if (!STEP_RE.test(step) || Number(step) > MAX_STEP) {
    return `the step ${quote(step)} is not a whole number from 0 to ${MAX_STEP}`;
  }
  return Number(step);
}

/** Parses `location.hash` (with or without the leading '#'). */
export function parseFragment(hash: string): ParsedLink {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw.length === 0) return { ok: true, link: null };
  const compareLink = /(^|&)compare=/.test(raw);
  if (compareLink && raw.length > MAX_COMPARE_FRAGMENT) {
    return compareFallback(`it is longer than ${MAX_COMPARE_FRAGMENT} characters`);
  }
  if (!compareLink && raw.length > MAX_FRAGMENT)
    return fallback(`it is longer than ${MAX_FRAGMENT} characters`);
  let id: string | null = null;
  let ostep: string | null = null;
  let image: string | null = null;
  let step: string | null = null;
  let policy: string | null = null;
  let frames: string | null = null;
  let arch: string | null = null;
  let va: string | null = null;
  let kind: string | null = null;
  let priv: string | null = null;
  let compare: string | null = null;
  let protocols: string | null = null;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (value === null) {
      return compareLink
        ? compareFallback('it is not correctly encoded')
        : fallback('it is not correctly encoded');
    }
    if (key === 's') id = value;
    else if (key === 'ostep') ostep = value;
    else if (key === 'image') image = value;
    else if (key === 'step') step = value;
    else if (key === 'policy') policy = value;
    else if (key === 'frames') frames = value;
    else if (key === 'arch') arch = value;
    else if (key === 'va') va = value;
    else if (key === 'kind') kind = value;
    else if (key === 'priv') priv = value;
    else if (key === 'compare') compare = value;
    else if (key === 'protocols') protocols = value;
    // Unknown keys are ignored, so later versions can add fields.
  }
  if (ostep !== null && id === null) {
    if (ostep === 'pasted') {
      return {
        ok: false,
        error: `A pasted OSTEP problem is not stored in links. Showing ${OSTEP_DEFAULT_NAME} from step 0 instead.`,
        link: { ostep: DEFAULT_OSTEP_PROBLEM, step: 0 },
      };
    }
    const problem = OSTEP_PROBLEMS.find((p) => p === ostep);
    if (problem === undefined) {
      return ostepFallback(
        `the OSTEP problem ${quote(ostep)} is not built in (built in: ${OSTEP_PROBLEMS.join(', ')})`,
      );
    }
    const n = parseStep(step);
    if (typeof n === 'string') return ostepFallback(n);
    return { ok: true, link: { ostep: problem, step: n } };
  }
  if (image !== null && id === null) {
    if (image === 'pasted') {
      return {
        ok: false,
        error: `A pasted machine image is not stored in links. Showing ${IMAGE_DEFAULT_NAME} instead.`,
        link: { image: 'example', step: 0 },
      };
    }
    if (image !== 'example') {
      return imageFallback(`the machine image ${quote(image)} is not built in (built in: example)`);
    }
    const n = parseStep(step);
    if (typeof n === 'string') return imageFallback(n);
    return { ok: true, link: { image: 'example', step: n } };
  }
  if (policy !== null && id === null) {
    const str = POLICY_STRINGS.find((p) => p === policy);
    if (str === undefined) {
      return policyFallback(
        `the reference string ${quote(policy)} is not built in (built in: ${POLICY_STRINGS.join(', ')})`,
      );
    }
    let f: number = DEFAULT_POLICY_FRAMES;
    if (frames !== null) {
      const k = (POLICY_FRAMES as readonly number[]).find((x) => String(x) === frames);
      if (k === undefined) {
        return policyFallback(
          `the cache size ${quote(frames)} is not one of ${POLICY_FRAMES.join(', ')} frames`,
        );
      }
      f = k;
    }
    const n = parseStep(step);
    if (typeof n === 'string') return policyFallback(n);
    return { ok: true, link: { policy: str, frames: f, step: n } };
  }
  if (arch !== null && id === null) return parseArchLink(arch, va, kind, priv, step);
  if (compare !== null && id === null) {
    if (!ID_RE.test(compare)) return compareFallback(`the scenario id ${quote(compare)} is not valid`);
    const ps = protocols === null ? [...DEFAULT_COMPARE_PROTOCOLS] : parseProtocols(protocols);
    if (typeof ps === 'string') return compareFallback(ps);
    return { ok: true, link: { compare, protocols: ps } };
  }
  if (id === null) return fallback('it names no scenario (expected #s=<scenario>&step=<n>)');
  if (!ID_RE.test(id)) return fallback(`the scenario id ${quote(id)} is not valid`);
  const n = parseStep(step);
  if (typeof n === 'string') return fallback(n);
  return { ok: true, link: { scenarioId: id, step: n } };
}

export function formatFragment(link: Link): string {
  if ('compare' in link) {
    return `#compare=${encodeURIComponent(link.compare)}&protocols=${link.protocols.map(encodeURIComponent).join(',')}`;
  }
  const step = Math.max(0, Math.floor(link.step));
  if ('arch' in link) {
    return `#arch=compare&va=${encodeURIComponent(link.va)}&kind=${link.kind}&priv=${link.priv}&step=${step}`;
  }
  if ('ostep' in link) return `#ostep=${encodeURIComponent(link.ostep)}&step=${step}`;
  if ('policy' in link) {
    return `#policy=${encodeURIComponent(link.policy)}&frames=${Math.floor(link.frames)}&step=${step}`;
  }
  if ('image' in link) return `#image=${encodeURIComponent(link.image)}&step=${step}`;
  return `#s=${encodeURIComponent(link.scenarioId)}&step=${step}`;
}
