import { describe, expect, it } from 'vitest';
import { encodeLeaf, encodeTable } from '../arch/arm64/desc';
import { type Arm64Image, runArm64Image } from './arm64';
import { frameToHex, hexToFrame, type ImageFrames } from './types';

/** Little-endian hex of descriptors placed at byte offsets, as an image's frame string. */
function frameHex(entries: [number, bigint][]): string {
  const w = new Uint32Array(1024);
  for (const [off, v] of entries) {
    w[off >> 2] = Number(v & 0xffffffffn);
    w[(off >> 2) + 1] = Number(v >> 32n);
  }
  return frameToHex(w);
}

function framesOf(hex: Record<string, string>): ImageFrames {
  return new Map(Object.entries(hex).map(([a, h]) => [Number(BigInt(a) >> 12n), hexToFrame(h)]));
}

const BASE: Omit<Arm64Image, 'accesses'> = {
  arch: 'arm64',
  t0sz: 16,
  t1sz: 16,
  ttbr0: 0x4008_0000n,
  ttbr1: 0x4009_0000n,
  asid: 0,
  hafdbs: false,
  pan: false,
  wxn: false,
  ips: 5,
};

// User VA 0x0000_0000_0040_0123: indexes 0, 0, 2, 0. A kernel VA 0xffff_0000_0000_0000 through
// TTBR1 maps a 2 MiB block.
const HEX = {
  '0x40080000': frameHex([[0, encodeTable(0x4008_1000n)]]),
  '0x40081000': frameHex([[0, encodeTable(0x4008_2000n)]]),
  '0x40082000': frameHex([[16, encodeTable(0x4008_3000n)]]),
  '0x40083000': frameHex([
    [0, encodeLeaf({ oa: 0x5000_0000n, ap: 0b01, af: false, dbm: true, ng: true, uxn: true }, 3)],
    [8, encodeLeaf({ oa: 0x5000_1000n, ap: 0b11, ng: true, pxn: true }, 3)],
  ]),
  '0x40090000': frameHex([[0, encodeTable(0x4009_1000n)]]),
  '0x40091000': frameHex([[0, encodeTable(0x4009_2000n)]]),
  '0x40092000': frameHex([[0, encodeLeaf({ oa: 0x4020_0000n, uxn: true }, 2)]]),
};

describe('runArm64Image', () => {
  it('produces one result per access with the documented fields, in order', () => {
    const frames = framesOf(HEX);
    const results = runArm64Image(
      {
        ...BASE,
        accesses: [
          { va: 0x40_0123n, kind: 'read', el: 0 }, // AF = 0, software-managed
          { va: 0x40_1010n, kind: 'fetch', el: 0 },
          { va: 0x40_1010n, kind: 'write', el: 0 }, // read-only
          { va: 0xffff_0000_0012_3456n, kind: 'read', el: 1 },
          { va: 0xffff_0000_0012_3456n, kind: 'read', el: 0 }, // AP=00: EL1 only
          { va: 0x0001_0000_0000_0000n, kind: 'read', el: 0 }, // out of range
        ],
      },
      frames,
    );
    expect(JSON.stringify(results)).toBe(
      JSON.stringify([
        { ok: false, fault: 'access-flag', level: 3, esr: '0x9200000b', far: '0x400123' },
        { ok: true, pa: '0x50001010' },
        { ok: false, fault: 'permission', level: 3, esr: '0x9200004f', far: '0x401010' },
        { ok: true, pa: '0x40323456' },
        { ok: false, fault: 'permission', level: 2, esr: '0x9200000e', far: '0xffff000000123456' },
        { ok: false, fault: 'translation', level: 0, esr: '0x92000004', far: '0x1000000000000' },
      ]),
    );
    expect(frameToHex(frames.get(0x40083) as Uint32Array)).toBe(HEX['0x40083000']);
  });

  it('keeps hardware AF and dirty updates in memory across accesses', () => {
    const frames = framesOf(HEX);
    const results = runArm64Image(
      {
        ...BASE,
        hafdbs: true,
        accesses: [
          { va: 0x40_0123n, kind: 'read', el: 0 },
          { va: 0x40_0123n, kind: 'write', el: 0 },
          { va: 0x40_0123n, kind: 'read', el: 1 },
        ],
      },
      frames,
    );
    expect(results).toEqual([
      { ok: true, pa: '0x50000123' },
      { ok: true, pa: '0x50000123' },
      { ok: true, pa: '0x50000123' },
    ]);
    // AF set by the read; AP was already 01 (writable) so the write changes nothing more.
    const leaf = encodeLeaf({ oa: 0x5000_0000n, ap: 0b01, dbm: true, ng: true, uxn: true }, 3);
    expect(frameToHex(frames.get(0x40083) as Uint32Array).slice(0, 16)).toBe(
      frameHex([[0, leaf]]).slice(0, 16),
    );
  });

  it('clears AP[2] of a clean DBM page on the first write only', () => {
    const hex = {
      ...HEX,
      '0x40083000': frameHex([[0, encodeLeaf({ oa: 0x5000_0000n, ap: 0b11, dbm: true }, 3)]]),
    };
    const frames = framesOf(hex);
    const results = runArm64Image(
      {
        ...BASE,
        hafdbs: true,
        accesses: [
          { va: 0x40_0000n, kind: 'write', el: 0 },
          { va: 0x40_0008n, kind: 'write', el: 0 },
        ],
      },
      frames,
    );
    expect(results).toEqual([
      { ok: true, pa: '0x50000000' },
      { ok: true, pa: '0x50000008' },
    ]);
    const dirty = encodeLeaf({ oa: 0x5000_0000n, ap: 0b01, dbm: true }, 3);
    expect(frameToHex(frames.get(0x40083) as Uint32Array)).toBe(frameHex([[0, dirty]]));
  });

  it('returns no results for no accesses', () => {
    expect(runArm64Image({ ...BASE, accesses: [] }, new Map())).toEqual([]);
  });
});
