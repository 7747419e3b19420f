// Per-set replacement policies for a set-associative TLB array. All state is typed arrays and
// numbers, so a machine checkpoint (deepClone / structuredClone) captures it exactly, and the only
// randomness is a PrngState handed in by the caller (src/core/prng.ts).
//
// Intel and Arm do not document their TLB replacement policies; which policy a preset uses is an
// assumption of the model, stated in presets.ts.
import { nextBelow, type PrngState } from '../prng';

export type ReplacementPolicy = 'lru' | 'plru' | 'random' | 'fifo';

export const POLICIES: readonly ReplacementPolicy[] = ['lru', 'plru', 'random', 'fifo'];

const P_LRU = 0;
const P_PLRU = 1;
const P_RANDOM = 2;
const P_FIFO = 3;

/** Tree-PLRU keeps one bit per internal node in a uint32 per set, so at most 32 ways. */
export const PLRU_MAX_WAYS = 32;

export interface ReplState {
  /** 0 lru, 1 plru, 2 random, 3 fifo (a number, so the hot path compares integers). */
  policy: number;
  sets: number;
  ways: number;
  /** LRU: last-use stamp per slot; FIFO: insertion stamp per slot. Unused by plru/random. */
  stamp: Float64Array;
  /**
   * Tree-PLRU bits, one uint32 per set. The tree is heap-ordered: node 0 is the root, node n has
   * children 2n+1 (left, lower ways) and 2n+2 (right, higher ways); the ways are the leaves, way w
   * being leaf (ways-1)+w. Bit n of the word is node n: 0 = the victim is on the left, 1 = on the
   * right. A touch sets every node on the way's path to point away from it.
   */
  tree: Uint32Array;
  clock: number;
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

export function policyCode(p: ReplacementPolicy): number {
  return p === 'lru' ? P_LRU : p === 'plru' ? P_PLRU : p === 'random' ? P_RANDOM : P_FIFO;
}

export function policyName(code: number): ReplacementPolicy {
  return POLICIES[code] ?? 'lru';
}

/** Why a policy cannot drive an array of this shape, or null if it can. */
export function policyProblem(p: ReplacementPolicy, ways: number): string | null {
  if (!POLICIES.includes(p)) return `unknown replacement policy '${String(p)}'`;
  if (p === 'plru' && (!isPow2(ways) || ways > PLRU_MAX_WAYS)) {
    return `tree-PLRU needs a power-of-two number of ways up to ${PLRU_MAX_WAYS} (got ${ways})`;
  }
  return null;
}

/** Assumes policyProblem(policy, ways) === null; presets are validated before this is called. */
export function createRepl(policy: ReplacementPolicy, sets: number, ways: number): ReplState {
  const code = policyCode(policy);
  return {
    policy: code,
    sets,
    ways,
    stamp: new Float64Array(code === P_LRU || code === P_FIFO ? sets * ways : 0),
    tree: new Uint32Array(code === P_PLRU ? sets : 0),
    clock: 0,
  };
}

/** Marks `way` of `set` as just used (a lookup hit). */
export function replTouch(r: ReplState, set: number, way: number): void {
  if (r.policy === P_LRU) {
    r.stamp[set * r.ways + way] = ++r.clock;
  } else if (r.policy === P_PLRU) {
    r.tree[set] = plruTouchBits(r.tree[set] as number, r.ways, way);
  }
}

/** Records that `way` of `set` was just filled. */
export function replInsert(r: ReplState, set: number, way: number): void {
  if (r.policy === P_LRU || r.policy === P_FIFO) {
    r.stamp[set * r.ways + way] = ++r.clock;
  } else if (r.policy === P_PLRU) {
    r.tree[set] = plruTouchBits(r.tree[set] as number, r.ways, way);
  }
}

/**
 * The way to fill in `set`: the lowest-numbered invalid way if any (`valid` is the array's valid
 * bytes, slot = set*ways + way), else the policy's victim. Draws from `prng` only for 'random'
 * with a full set, so other policies never disturb the random stream.
 */
export function replVictim(r: ReplState, set: number, valid: Uint8Array, prng: PrngState): number {
  const base = set * r.ways;
  for (let w = 0; w < r.ways; w++) if (valid[base + w] === 0) return w;
  return replVictimFull(r, set, prng);
}

/** The policy's victim in a set whose ways are all valid (the caller has checked). */
export function replVictimFull(r: ReplState, set: number, prng: PrngState): number {
  const base = set * r.ways;
  switch (r.policy) {
    case P_PLRU:
      return plruVictimWay(r.tree[set] as number, r.ways);
    case P_RANDOM:
      return nextBelow(prng, r.ways);
    default: {
      // LRU and FIFO: the smallest stamp (least recently used / earliest inserted).
      let best = 0;
      let oldest = Number.POSITIVE_INFINITY;
      for (let w = 0; w < r.ways; w++) {
        const s = r.stamp[base + w] as number;
        if (s < oldest) {
          oldest = s;
          best = w;
        }
      }
      return best;
    }
  }
}

/** New PLRU bits after touching `way`: each node on the root-to-leaf path points away from it. */
export function plruTouchBits(bits: number, ways: number, way: number): number {
  let node = 0;
  let lo = 0;
  let span = ways;
  while (span > 1) {
    span >>>= 1;
    if (way < lo + span) {
      bits |= 1 << node; // went left: the victim side is now the right
      node = 2 * node + 1;
    } else {
      bits &= ~(1 << node); // went right: the victim side is now the left
      node = 2 * node + 2;
      lo += span;
    }
  }
  return bits >>> 0;
}

/** The way the PLRU bits point at: follow 0 = left, 1 = right from the root. */
export function plruVictimWay(bits: number, ways: number): number {
  let node = 0;
  let lo = 0;
  let span = ways;
  while (span > 1) {
    span >>>= 1;
    if ((bits >>> node) & 1) {
      node = 2 * node + 2;
      lo += span;
    } else {
      node = 2 * node + 1;
    }
  }
  return lo;
}
