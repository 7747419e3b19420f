// Full page walks per second for each architecture's walker: fresh walks (no TLB) of random pages
// among 512 mapped 4 KiB pages. x86-64 walks the simulation's own tables (numbers, two words per
// entry); RISC-V and ARM64 walk machine-image memory with bigint entries, as `vmscope translate` does.
import { walkArm64 } from '../src/core/arch/arm64/walk';
import { encodeLeaf, encodeTable } from '../src/core/arch/arm64/desc';
import { encodePte } from '../src/core/arch/riscv64/pte';
import { walkRiscv } from '../src/core/arch/riscv64/walk';
import { DEFAULT_CONTROL, type X86Control } from '../src/core/arch/x86_64/control';
import { newWalkOut, walkPageTable } from '../src/core/arch/x86_64/walk';
import { physMemOfImage } from '../src/core/image/x86_64';
import { type ImageFrames, writeQword } from '../src/core/image/types';

// Walks per timed run: enough that V8 has optimized the walker before the clock starts. The
// bigint walkers are slower, so they run fewer.
const N = 1_000_000;
const N_BIG = 250_000;
const REPEATS = 5;

function pages(seed: number): Uint16Array {
  const out = new Uint16Array(N);
  let s = seed >>> 0;
  for (let i = 0; i < N; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s % 512;
  }
  return out;
}

/** Best rate of REPEATS timed runs, after one untimed run so the JIT has warmed up. */
function rate(fn: () => number, n = N): number {
  let top = 0;
  fn();
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    if (fn() < 0) throw new Error('impossible');
    top = Math.max(top, n / ((performance.now() - t0) / 1000));
  }
  return top;
}

/** Tables at frames 1..levels, each pointing at the next through entry 0; data frames from 0x100. */
function chain(
  levels: number,
  entry: (level: number, next: bigint) => bigint,
  leaf: (pfn: bigint) => bigint,
): ImageFrames {
  const frames: ImageFrames = new Map();
  for (let level = levels; level > 1; level--)
    writeQword(frames, level, 0, entry(level, BigInt(level - 1) << 12n));
  for (let i = 0; i < 512; i++) writeQword(frames, 1, i * 8, leaf(0x100n + BigInt(i)));
  return frames;
}

function x86(levels: 4 | 5): number {
  const frames = chain(
    levels,
    (_l, next) => next | 0x67n,
    (pfn) => (pfn << 12n) | 0x67n,
  );
  const mem = physMemOfImage(frames, 46);
  const ctl: X86Control = levels === 4 ? DEFAULT_CONTROL : { ...DEFAULT_CONTROL, levels };
  const out = newWalkOut();
  const seq = pages(7);
  return rate(() => {
    let acc = 0;
    for (let i = 0; i < N; i++) {
      if (walkPageTable(mem, levels, seq[i] as number, 'read', true, ctl, out, null, false)) acc++;
    }
    if (acc !== N) throw new Error('an x86-64 bench walk faulted');
    return acc;
  });
}

function riscv(mode: 'sv39' | 'sv48'): number {
  const levels = mode === 'sv39' ? 3 : 4;
  const frames = chain(
    levels,
    (_l, next) => encodePte({ ppn: next >> 12n }),
    (pfn) => encodePte({ ppn: pfn, r: true, w: true, u: true, a: true, d: true }),
  );
  const cfg = { mode, rootPpn: BigInt(levels), sum: false, mxr: false, adue: true } as const;
  const seq = pages(7);
  return rate(() => {
    let acc = 0;
    for (let i = 0; i < N_BIG; i++) {
      const r = walkRiscv(frames, cfg, BigInt(seq[i] as number) << 12n, 'read', 'U');
      if (r.ok) acc++;
    }
    if (acc !== N_BIG) throw new Error('a RISC-V bench walk faulted');
    return acc;
  }, N_BIG);
}

function arm(): number {
  const frames = chain(
    4,
    (_l, next) => encodeTable(next),
    (pfn) => encodeLeaf({ oa: pfn << 12n, ap: 1 }, 3),
  );
  // Level 0 table at frame 4 (ttbr0), down to the level-3 table at frame 1.
  const cfg = {
    t0sz: 16,
    t1sz: 16,
    ttbr0: 4n << 12n,
    ttbr1: 0n,
    hafdbs: false,
    pan: false,
    wxn: false,
    ips: 5,
  };
  const seq = pages(7);
  return rate(() => {
    let acc = 0;
    for (let i = 0; i < N_BIG; i++) {
      const r = walkArm64(frames, cfg, BigInt(seq[i] as number) << 12n, 'read', 0);
      if (r.ok) acc++;
    }
    if (acc !== N_BIG) throw new Error('an ARM64 bench walk faulted');
    return acc;
  }, N_BIG);
}

export function archWalks(): Record<string, number> {
  const r: Record<string, number> = {
    'x86_64-4level': x86(4),
    'x86_64-5level': x86(5),
    'riscv64-sv39': riscv('sv39'),
    'riscv64-sv48': riscv('sv48'),
    'arm64-4k-4level': arm(),
  };
  for (const [k, v] of Object.entries(r)) {
    process.stdout.write(
      `${`full walks, ${k}`.padEnd(44)} ${(v / 1e6).toFixed(2).padStart(7)} M walks/s (best of ${REPEATS})\n`,
    );
  }
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)]));
}
