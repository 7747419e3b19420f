// Differential test: the simulation's walker (through runX86Image) against a second, deliberately
// plain x86-64 paging model written here from the SDM's prose (Vol. 3A 4.5 to 4.8): bigint
// arithmetic, one entry at a time, the access-rights bullets of 4.6.1 spelled out. Thousands of
// random images: page tables whose entries point at each other, with random flags, reserved bits,
// large pages and control registers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextBelow, nextU32, type PrngState, seedPrng } from '../prng';
import { frameToHex, hexAddr, type ImageFrames, type ImageResult } from './types';
import { type X86Access, type X86Image, runX86Image } from './x86_64';

type Mem = Map<bigint, bigint[]>; // frame address -> 512 entries

function bits(v: bigint, hi: number, lo: number): bigint {
  return (v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

function referenceAccess(mem: Mem, img: X86Image, a: X86Access): ImageResult {
  const top = img.levels === 5 ? 56 : 47;
  const upper = a.va >> BigInt(top);
  if (upper !== 0n && upper !== (1n << BigInt(64 - top)) - 1n) return { ok: false, vector: 13 };
  const M = img.maxphyaddr;
  const user = a.cpl === 3;
  const fetch = a.kind === 'fetch';
  const write = a.kind === 'write';
  const pf = (p: boolean, rsvd: boolean): ImageResult => {
    let code = 0;
    if (p) code |= 1;
    if (write) code |= 2;
    if (user) code |= 4;
    if (rsvd) code |= 8;
    if (fetch && (img.cr4Smep || img.eferNxe)) code |= 16;
    return { ok: false, vector: 14, error_code: code, cr2: hexAddr(a.va) };
  };
  let table = bits(img.cr3, M - 1, 12) << 12n;
  let allWritable = true;
  let allUser = true;
  let anyXd = false;
  for (let level: number = img.levels; level >= 1; level--) {
    const index = Number(bits(a.va, 12 + 9 * level - 1, 12 + 9 * (level - 1)));
    const entries = mem.get(table);
    const e = entries?.[index] ?? 0n;
    if ((e & 1n) === 0n) return pf(false, false);
    const ps = bits(e, 7, 7) === 1n;
    let reserved = M < 52 && bits(e, 51, M) !== 0n;
    if (!img.eferNxe && bits(e, 63, 63) === 1n) reserved = true;
    if (level >= 4 && ps) reserved = true;
    if (level === 3 && ps && bits(e, 29, 13) !== 0n) reserved = true;
    if (level === 2 && ps && bits(e, 20, 13) !== 0n) reserved = true;
    if (reserved) return pf(true, true);
    if (bits(e, 1, 1) === 0n) allWritable = false;
    if (bits(e, 2, 2) === 0n) allUser = false;
    if (img.eferNxe && bits(e, 63, 63) === 1n) anyXd = true;
    const leaf = level === 1 || ps;
    if (!leaf) {
      // Used on the way down: A is set now, whatever happens below.
      (entries as bigint[])[index] = e | 0x20n;
      table = bits(e, 51, 12) << 12n;
      continue;
    }
    // SDM 4.6.1, the access-rights bullets.
    let allowed: boolean;
    if (user) {
      if (!allUser) allowed = false;
      else if (a.kind === 'read') allowed = true;
      else if (write) allowed = allWritable;
      else allowed = !anyXd;
    } else if (fetch) {
      allowed = allUser && img.cr4Smep ? false : !anyXd;
    } else {
      const smapBlocks = allUser && img.cr4Smap && !a.ac;
      if (smapBlocks) allowed = false;
      else if (a.kind === 'read') allowed = true;
      else allowed = !img.cr0Wp || allWritable;
    }
    if (!allowed) return pf(true, false);
    (entries as bigint[])[index] = e | 0x20n | (write ? 0x40n : 0n);
    const shift = 12 + 9 * (level - 1);
    const base = bits(e, 51, shift) << BigInt(shift);
    return { ok: true, pa: hexAddr(base | bits(a.va, shift - 1, 0)) };
  }
  throw new Error('unreachable');
}

// ---- random images -------------------------------------------------------------------------

const pick = <T>(p: PrngState, xs: readonly T[]): T => xs[nextBelow(p, xs.length)] as T;
const chance = (p: PrngState, pct: number) => nextBelow(p, 100) < pct;
const INDICES = [0, 1, 255, 256, 511];

function randomImage(seed: number): { img: X86Image; mem: Mem; frames: ImageFrames } {
  const p = seedPrng(seed);
  const levels = pick(p, [4, 5] as const);
  const maxphyaddr = pick(p, [36, 39, 40, 46, 52]);
  const tableAddrs = [0x1000n, 0x2000n, 0x3000n, 0x4000n, 0x5000n, 0x6000n];
  const mem: Mem = new Map();
  for (const t of tableAddrs) {
    const entries: bigint[] = new Array(512).fill(0n);
    for (const i of INDICES) {
      if (chance(p, 15)) continue;
      let e = BigInt(nextU32(p) & 0xfff) & ~0xe00n; // flags 11:0 (software bits 9-11 left clear)
      if (chance(p, 92)) e |= 1n; // mostly present
      if (chance(p, 50)) e |= 0x6n; // many fully open entries // keep some R/W, U/S mixes
      if (!chance(p, 15)) e &= ~0x80n; // PS in some entries
      const target = chance(p, 92) ? pick(p, tableAddrs) : BigInt(nextU32(p) & 0xffffff) << 12n;
      e |= target;
      if (chance(p, 4)) e |= 1n << BigInt(13 + nextBelow(p, 17)); // large-page alignment bits
      if (chance(p, 3)) e |= 1n << BigInt(36 + nextBelow(p, 16)); // high address bits
      if (chance(p, 20)) e |= 1n << 63n; // XD
      if (chance(p, 10)) e |= BigInt(nextBelow(p, 64)) << 52n; // ignored / protection-key bits
      entries[i] = e;
    }
    mem.set(t, entries);
  }
  const accesses: X86Access[] = [];
  for (let n = 0; n < 12; n++) {
    let va = 0n;
    for (let l = levels; l >= 1; l--) va |= BigInt(pick(p, INDICES)) << BigInt(12 + 9 * (l - 1));
    va |= BigInt(nextBelow(p, 4096));
    const top = levels === 5 ? 57 : 48;
    if (va >> BigInt(top - 1) === 1n || chance(p, 5)) va |= ((1n << BigInt(64 - top)) - 1n) << BigInt(top);
    if (chance(p, 4)) va ^= 1n << 60n; // non-canonical
    accesses.push({
      va,
      kind: pick(p, ['read', 'write', 'fetch'] as const),
      cpl: pick(p, [0, 3] as const),
      ac: chance(p, 50),
    });
  }
  const img: X86Image = {
    arch: 'x86_64',
    levels,
    maxphyaddr,
    cr3: pick(p, tableAddrs) | BigInt(nextBelow(p, 4096)),
    cr0Wp: chance(p, 70),
    cr4Smep: chance(p, 50),
    cr4Smap: chance(p, 50),
    cr4Pge: chance(p, 50),
    eferNxe: chance(p, 90),
    accesses,
  };
  const frames: ImageFrames = new Map();
  for (const [addr, entries] of mem) {
    const w = new Uint32Array(1024);
    entries.forEach((e, i) => {
      w[2 * i] = Number(e & 0xffffffffn);
      w[2 * i + 1] = Number(e >> 32n);
    });
    frames.set(Number(addr >> 12n), w);
  }
  return { img, mem, frames };
}

function memHex(mem: Mem): string[] {
  return [...mem.values()].map((entries) => {
    const w = new Uint32Array(1024);
    entries.forEach((e, i) => {
      w[2 * i] = Number(e & 0xffffffffn);
      w[2 * i + 1] = Number(e >> 32n);
    });
    return frameToHex(w);
  });
}

describe('x86-64 walker against a reference model written from the SDM', () => {
  it('agrees on results and on memory after thousands of random accesses', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const { img, mem, frames } = randomImage(seed);
        const got = runX86Image(img, frames);
        const want = img.accesses.map((a) => referenceAccess(mem, img, a));
        expect(got).toEqual(want);
        expect([...frames.values()].map(frameToHex)).toEqual(memHex(mem));
        for (const r of want) {
          const k = r.ok ? 'ok' : r.vector === 13 ? 'gp' : `pf${r.error_code}`;
          outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
        }
      }),
      { numRuns: 1000, seed: 20261130 },
    );
    if (process.env.SHOW_OUTCOMES) console.log(JSON.stringify([...outcomes].sort()));
    // The generator must reach every kind of outcome, or the agreement means little.
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(800);
    expect(outcomes.get('gp') ?? 0).toBeGreaterThan(20);
    for (const code of [0, 1, 4, 5, 7, 9, 13, 21])
      expect(outcomes.get(`pf${code}`) ?? 0, `pf${code}`).toBeGreaterThan(0);
  });
});
