import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ImageFrames, readQword, writeQword } from '../../image/types';
import {
  encodePte,
  flagString,
  MODE_LEVELS,
  PTE_A,
  PTE_D,
  PTE_G,
  PTE_RSW,
  PTE_U,
  type PteFields,
  type RiscvMode,
  vpnIndex,
} from './pte';
import { type RiscvAccessKind, type RiscvPriv, type RiscvWalkLevel, walkRiscv } from './walk';

// Tables sit at consecutive PPNs from ROOT: the table of level i at ROOT + (LEVELS-1-i).
const ROOT = 0x80200n;
const CAUSE: Record<RiscvAccessKind, number> = { fetch: 12, read: 13, write: 15 };

// Sv39 VA 0x3f_c060_3123 split by hand: vpn[2] = 0xff, vpn[1] = 3, vpn[0] = 3, offset 0x123.
const VA = 0x3fc0603123n;

interface Build {
  mode?: RiscvMode;
  va?: bigint;
  /** The spec's i of the leaf (0 = a 4 KiB page). */
  leafLevel?: number;
  leaf: bigint;
  /** Extra bits or'ed into every non-leaf PTE. */
  nonLeafExtra?: bigint;
  rootPpn?: bigint;
}

function build(b: Build): ImageFrames {
  const mode = b.mode ?? 'sv39';
  const va = b.va ?? VA;
  const root = b.rootPpn ?? ROOT;
  const levels = MODE_LEVELS[mode];
  const frames: ImageFrames = new Map();
  for (let i = levels - 1; i >= (b.leafLevel ?? 0); i--) {
    const table = root + BigInt(levels - 1 - i);
    const pte = i === (b.leafLevel ?? 0) ? b.leaf : encodePte({ ppn: table + 1n }) | (b.nonLeafExtra ?? 0n);
    writeQword(frames, Number(table), vpnIndex(va, i) * 8, pte);
  }
  return frames;
}

const cfg = (over: Partial<Parameters<typeof walkRiscv>[1]> = {}): Parameters<typeof walkRiscv>[1] => ({
  mode: 'sv39',
  rootPpn: ROOT,
  sum: false,
  mxr: false,
  adue: false,
  ...over,
});

function snapshot(frames: ImageFrames): ImageFrames {
  return new Map([...frames].map(([k, v]) => [k, v.slice()]));
}

/** The first difference between two memories, or '' (much faster than toEqual on typed arrays). */
function memDiff(a: ImageFrames, b: ImageFrames): string {
  if (a.size !== b.size) return `${a.size} frames vs ${b.size}`;
  for (const [pfn, wa] of a) {
    const wb = b.get(pfn);
    if (wb === undefined) return `frame ${pfn.toString(16)} missing`;
    for (let i = 0; i < wa.length; i++) {
      if (wa[i] !== wb[i]) return `frame ${pfn.toString(16)} word ${i}: ${wa[i]} vs ${wb[i]}`;
    }
  }
  return '';
}

const leaf = (f: Omit<PteFields, 'ppn'>, ppn = 0x12345n): bigint =>
  encodePte({ ppn, a: true, d: true, ...f });

describe('pte helpers', () => {
  it('places flags at their architectural bits and names them', () => {
    const pte = encodePte({
      ppn: 0xabcdef12345n,
      r: true,
      w: true,
      x: true,
      u: true,
      g: true,
      a: true,
      d: true,
    });
    expect(pte).toBe((0xabcdef12345n << 10n) | 0xffn);
    expect(flagString(pte)).toBe('V R W X U G A D');
    expect(flagString(encodePte({ ppn: 1n, v: false }))).toBe('-');
    expect(flagString((1n << 63n) | (1n << 61n) | (1n << 54n) | 1n)).toBe('V PBMT=1 N RSVD');
  });

  it('splits a VA into 9-bit VPN fields', () => {
    expect([2, 1, 0].map((i) => vpnIndex(VA, i))).toEqual([0xff, 3, 3]);
  });
});

describe('walkRiscv: a 4 KiB page', () => {
  it('translates and traces one PTE per level', () => {
    const frames = build({ leaf: leaf({ r: true }) });
    const trace: RiscvWalkLevel[] = [];
    const r = walkRiscv(frames, cfg(), VA, 'read', 'S', trace);
    expect(r).toEqual({ ok: true, pa: 0x12345123n, level: 0, pte: leaf({ r: true }) });
    expect(trace.map((t) => [t.level, t.tableAddr, t.index])).toEqual([
      [2, 0x80200000n, 0xff],
      [1, 0x80201000n, 3],
      [0, 0x80202000n, 3],
    ]);
    expect(trace[2]?.pte).toBe(leaf({ r: true }));
  });

  it('ignores RSW (bits 9:8) and accepts G on leaf and non-leaf PTEs', () => {
    const frames = build({ leaf: leaf({ r: true }) | PTE_RSW | PTE_G, nonLeafExtra: PTE_RSW | PTE_G });
    expect(walkRiscv(frames, cfg(), VA, 'read', 'S').ok).toBe(true);
  });
});

// Step 5 as two literal tables from the spec. Which access kinds the U bit lets a mode make:
// U-mode needs U=1; S-mode may load/store a U=1 page only with SUM=1 and never fetch from it.
const U_GATE: [RiscvPriv, boolean, boolean, string][] = [
  ['U', true, false, 'rwx'],
  ['U', true, true, 'rwx'],
  ['U', false, false, ''],
  ['U', false, true, ''],
  ['S', false, false, 'rwx'],
  ['S', false, true, 'rwx'],
  ['S', true, false, ''],
  ['S', true, true, 'rw'],
];
// Which kinds R/W/X allow: read needs R, or X with MXR; write needs W; fetch needs X.
const RWX_GATE: [string, boolean, string][] = [
  ['R', false, 'r'],
  ['R', true, 'r'],
  ['RW', false, 'rw'],
  ['RW', true, 'rw'],
  ['X', false, 'x'],
  ['X', true, 'rx'],
  ['RX', false, 'rx'],
  ['RX', true, 'rx'],
  ['RWX', false, 'rwx'],
  ['RWX', true, 'rwx'],
];
const KINDS: [RiscvAccessKind, string][] = [
  ['read', 'r'],
  ['write', 'w'],
  ['fetch', 'x'],
];
const PERMISSION_CASES = U_GATE.flatMap(([priv, u, sum, uAllows]) =>
  RWX_GATE.flatMap(([rwx, mxr, rwxAllows]) =>
    KINDS.map(([kind, k]) => ({
      priv,
      u,
      sum,
      rwx,
      mxr,
      kind,
      allowed: uAllows.includes(k) && rwxAllows.includes(k),
    })),
  ),
);

describe('walkRiscv: leaf permissions (step 5)', () => {
  it('covers every combination', () => expect(PERMISSION_CASES).toHaveLength(240));

  it.each(PERMISSION_CASES)(
    '$priv-mode $kind, U=$u SUM=$sum MXR=$mxr $rwx -> allowed=$allowed',
    ({ priv, u, sum, rwx, mxr, kind, allowed }) => {
      const pte = leaf({ u, r: rwx.includes('R'), w: rwx.includes('W'), x: rwx.includes('X') });
      const frames = build({ leaf: pte });
      const before = snapshot(frames);
      const r = walkRiscv(frames, cfg({ sum, mxr }), VA, kind, priv);
      if (allowed) expect(r).toMatchObject({ ok: true, pa: 0x12345123n });
      else expect(r).toMatchObject({ ok: false, cause: CAUSE[kind], tval: VA, level: 0 });
      expect(memDiff(frames, before)).toBe('');
    },
  );
});

describe('walkRiscv: reserved encodings (step 3)', () => {
  const BITS = [54, 55, 56, 57, 58, 59, 60, 61, 62, 63];
  it.each(BITS)('bit %i set in the leaf is a page fault (no Svpbmt, no Svnapot)', (bit) => {
    const frames = build({ leaf: leaf({ r: true, w: true }) | (1n << BigInt(bit)) });
    const before = snapshot(frames);
    const r = walkRiscv(frames, cfg({ adue: true }), VA, 'write', 'S');
    expect(r).toMatchObject({ ok: false, cause: 15, level: 0 });
    expect(memDiff(frames, before)).toBe('');
  });

  it.each(BITS)('bit %i set in a non-leaf PTE is a page fault', (bit) => {
    const frames = build({ leaf: leaf({ r: true }), nonLeafExtra: 1n << BigInt(bit) });
    expect(walkRiscv(frames, cfg(), VA, 'read', 'S')).toMatchObject({ ok: false, cause: 13, level: 2 });
  });

  it.each([
    ['U', PTE_U],
    ['A', PTE_A],
    ['D', PTE_D],
  ])('%s set in a non-leaf PTE is a page fault (reserved there)', (_, bit) => {
    const frames = build({ leaf: leaf({ r: true }), nonLeafExtra: bit });
    expect(walkRiscv(frames, cfg(), VA, 'read', 'S')).toMatchObject({ ok: false, cause: 13, level: 2 });
  });

  it.each([
    ['W', { w: true }],
    ['W X', { w: true, x: true }],
  ])('leaf %s (W without R) is a page fault even for a fetch', (_, f) => {
    const frames = build({ leaf: leaf(f) });
    const r = walkRiscv(frames, cfg(), VA, 'fetch', 'S');
    expect(r).toMatchObject({ ok: false, cause: 12, level: 0 });
    expect(r.ok || r.reason).toContain('W=1 without R');
  });

  it('W without R in a non-leaf position is a page fault', () => {
    const frames = build({ leaf: leaf({ r: true }) });
    writeQword(frames, Number(ROOT + 1n), 3 * 8, encodePte({ ppn: ROOT + 2n, w: true }));
    expect(walkRiscv(frames, cfg(), VA, 'read', 'S')).toMatchObject({ ok: false, level: 1 });
  });

  it('V=0 faults whatever the other bits say', () => {
    const frames = build({ leaf: leaf({ r: true, v: false }) });
    const r = walkRiscv(frames, cfg(), VA, 'read', 'U');
    expect(r).toEqual({ ok: false, cause: 13, tval: VA, level: 0, reason: 'PTE at level 0 has V=0' });
  });

  it('a pointer at level 0 has no level left to point to', () => {
    const frames = build({ leaf: encodePte({ ppn: 0x5n }) });
    expect(walkRiscv(frames, cfg(), VA, 'read', 'S')).toMatchObject({ ok: false, cause: 13, level: 0 });
  });

  it('an empty image faults at the root', () => {
    const trace: RiscvWalkLevel[] = [];
    expect(walkRiscv(new Map(), cfg(), VA, 'fetch', 'U', trace)).toMatchObject({ ok: false, level: 2 });
    expect(trace).toHaveLength(1);
  });
});

describe('walkRiscv: canonical VAs', () => {
  const CASES: [RiscvMode, bigint, boolean][] = [
    ['sv39', 0x0000_003f_ffff_f000n, true],
    ['sv39', 0xffff_ffc0_0000_0000n, true],
    ['sv39', 0x0000_0040_0000_0000n, false], // bit 38 set, 63:39 clear
    ['sv39', 0x0000_0080_0000_0000n, false], // bit 39 set alone
    ['sv39', 0xffff_ff80_0000_0000n, false], // 63:39 set, bit 38 clear
    ['sv48', 0x0000_7fff_ffff_f000n, true],
    ['sv48', 0xffff_8000_0000_0000n, true],
    ['sv48', 0x0000_8000_0000_0000n, false],
    ['sv48', 0x0001_0000_0000_0000n, false],
    ['sv57', 0x00ff_ffff_ffff_f000n, true],
    ['sv57', 0xff00_0000_0000_0000n, true],
    ['sv57', 0x0100_0000_0000_0000n, false],
    ['sv57', 0x8000_0000_0000_0000n, false],
  ];
  it.each(CASES)('%s VA %s canonical=%s', (mode, va, canonical) => {
    const frames = build({ mode, va, leaf: leaf({ r: true, w: true, x: true }) });
    for (const kind of ['read', 'write', 'fetch'] as const) {
      const r = walkRiscv(frames, cfg({ mode }), va, kind, 'S');
      if (canonical) expect(r.ok).toBe(true);
      else expect(r).toMatchObject({ ok: false, cause: CAUSE[kind], tval: va, level: MODE_LEVELS[mode] });
    }
  });
});

describe('walkRiscv: superpages (steps 6 and 8)', () => {
  it.each([
    // mode, leaf level, aligned PPN, VA, expected PA
    ['sv39', 1, 0x80400n, 0x3fc0654321n, 0x80454321n], // 2 MiB
    ['sv39', 2, 0xc0000n, 0x3fc0654321n, 0xc0654321n], // 1 GiB
    ['sv48', 3, 0x8000000n, 0x7f80_1234_5678n, 0x80_1234_5678n], // 512 GiB
    ['sv57', 4, 0x1000000000n, 0x00ff_0123_4567_89abn, 0x1_0123_4567_89abn], // 256 TiB
  ] as const)('%s leaf at level %i combines VA low bits with the PTE PPN', (mode, lvl, ppn, va, pa) => {
    const frames = build({ mode, va, leafLevel: lvl, leaf: leaf({ r: true }, ppn) });
    expect(walkRiscv(frames, cfg({ mode }), va, 'read', 'S')).toMatchObject({ ok: true, level: lvl, pa });
  });

  it.each([
    ['2 MiB with PPN[0] != 0', 1, 0x80401n],
    ['1 GiB with PPN[0] != 0', 2, 0xc0001n],
    ['1 GiB with PPN[1] != 0', 2, 0xc0200n],
  ] as const)('a misaligned superpage (%s) is a page fault', (_, lvl, ppn) => {
    const frames = build({ leafLevel: lvl, leaf: leaf({ r: true, w: true, u: true }, ppn) });
    const r = walkRiscv(frames, cfg(), VA, 'write', 'U');
    expect(r).toMatchObject({ ok: false, cause: 15, level: lvl });
    expect(r.ok || r.reason).toContain('misaligned superpage');
  });

  it('reaches a 56-bit PA through tables at the top of a 44-bit PPN space', () => {
    const top = (1n << 44n) - 16n;
    const frames = build({ rootPpn: top, leaf: leaf({ r: true }, (1n << 44n) - 1n) });
    const r = walkRiscv(frames, cfg({ rootPpn: top }), VA, 'read', 'S');
    expect(r).toMatchObject({ ok: true, pa: 0xff_ffff_ffff_f123n });
  });
});

describe('walkRiscv: A and D (step 7)', () => {
  const leafAt = (frames: ImageFrames) => readQword(frames, Number(ROOT + 2n), 3 * 8);
  const CASES: [string, RiscvAccessKind, boolean, boolean, bigint][] = [
    // name, access, A, D, bits Svadu must add
    ['read, A=0', 'read', false, false, PTE_A],
    ['fetch, A=0', 'fetch', false, false, PTE_A],
    ['write, A=0 D=0', 'write', false, false, PTE_A | PTE_D],
    ['write, A=1 D=0', 'write', true, false, PTE_D],
    ['write, A=0 D=1', 'write', false, true, PTE_A],
  ];
  it.each(CASES)('%s: Svade faults and writes nothing', (_, kind, a, d) => {
    const frames = build({ leaf: leaf({ r: true, w: true, x: true, a, d }) });
    const before = snapshot(frames);
    const r = walkRiscv(frames, cfg({ adue: false }), VA, kind, 'S');
    expect(r).toMatchObject({ ok: false, cause: CAUSE[kind], level: 0 });
    expect(memDiff(frames, before)).toBe('');
  });

  it.each(CASES)('%s: Svadu sets exactly the missing bits on the leaf', (_, kind, a, d, added) => {
    const pte = leaf({ r: true, w: true, x: true, a, d });
    const frames = build({ leaf: pte });
    const before = snapshot(frames);
    const r = walkRiscv(frames, cfg({ adue: true }), VA, kind, 'S');
    expect(r).toMatchObject({ ok: true, pa: 0x12345123n, pte: pte | added });
    expect(leafAt(frames)).toBe(pte | added);
    // Nothing but the leaf changed.
    writeQword(frames, Number(ROOT + 2n), 3 * 8, pte);
    expect(memDiff(frames, before)).toBe('');
  });

  it('a read of a clean page leaves D alone, and a set A means no write', () => {
    const pte = leaf({ r: true, w: true, d: false });
    const frames = build({ leaf: pte });
    expect(walkRiscv(frames, cfg({ adue: false }), VA, 'read', 'S').ok).toBe(true);
    expect(leafAt(frames)).toBe(pte);
  });

  it('a permission fault comes before any A/D update', () => {
    const pte = leaf({ r: true, a: false, d: false });
    const frames = build({ leaf: pte });
    expect(walkRiscv(frames, cfg({ adue: true }), VA, 'write', 'S')).toMatchObject({ ok: false, cause: 15 });
    expect(leafAt(frames)).toBe(pte);
  });

  it('updates the leaf of a superpage, not the table above it', () => {
    const pte = leaf({ r: true, w: true, a: false, d: false }, 0xc0000n);
    const frames = build({ leafLevel: 2, leaf: pte });
    expect(walkRiscv(frames, cfg({ adue: true }), VA, 'write', 'S').ok).toBe(true);
    expect(readQword(frames, Number(ROOT), 0xff * 8)).toBe(pte | PTE_A | PTE_D);
  });
});

describe('walkRiscv: properties', () => {
  // A walk path for VA: pointer PTEs down to a random leaf level, then a valid leaf with random
  // flags and a PPN that is aligned half the time. Any PTE may be corrupted by xor-ing random
  // bits in (flags, RSW, reserved 63:54), so every step of the walk gets exercised.
  const noise = fc.oneof(
    { arbitrary: fc.constant(0n), weight: 12 },
    { arbitrary: fc.bigInt({ min: 1n, max: 1023n }), weight: 1 },
    { arbitrary: fc.bigInt({ min: 1n, max: 1023n }).map((b) => b << 54n), weight: 1 },
  );
  const setup = fc.record({
    mode: fc.constantFrom<RiscvMode>('sv39', 'sv48', 'sv57'),
    vaBits: fc.bigInt({ min: 0n, max: (1n << 57n) - 1n }),
    // Mostly canonical VAs; one in ten is any 64-bit value.
    rawVa: fc.oneof(
      { arbitrary: fc.constant(null), weight: 9 },
      { arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), weight: 1 },
    ),
    leafLevel: fc.integer({ min: 0, max: 4 }),
    leafFlags: fc.integer({ min: 0, max: 255 }),
    leafPpn: fc.bigInt({ min: 0n, max: (1n << 44n) - 1n }),
    aligned: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    // Half the leaves come with A and D already set, so Svade walks succeed too.
    accessedDirty: fc.boolean(),
    noise: fc.array(noise, { minLength: 5, maxLength: 5 }),
    kind: fc.constantFrom<RiscvAccessKind>('read', 'write', 'fetch'),
    priv: fc.constantFrom<RiscvPriv>('U', 'S'),
    sum: fc.boolean(),
    mxr: fc.boolean(),
    adue: fc.boolean(),
  });

  it('a fault writes nothing; a success changes only A/D of the leaf and is idempotent', () => {
    let successes = 0;
    fc.assert(
      fc.property(setup, (s) => {
        const levels = MODE_LEVELS[s.mode];
        const va = s.rawVa ?? BigInt.asUintN(64, BigInt.asIntN(12 + 9 * levels, s.vaBits));
        const leafLevel = s.leafLevel % levels;
        const frames: ImageFrames = new Map();
        for (let i = levels - 1; i >= leafLevel; i--) {
          const table = ROOT + BigInt(levels - 1 - i);
          const low = (1n << BigInt(9 * i)) - 1n;
          const pte =
            i > leafLevel
              ? encodePte({ ppn: table + 1n })
              : encodePte({
                  ppn: s.aligned ? s.leafPpn & ~low : s.leafPpn,
                  a: s.accessedDirty,
                  d: s.accessedDirty,
                }) | BigInt(s.leafFlags);
          writeQword(frames, Number(table), vpnIndex(va, i) * 8, pte ^ (s.noise[i] ?? 0n));
        }
        const c = cfg({ mode: s.mode, sum: s.sum, mxr: s.mxr, adue: s.adue });
        const before = snapshot(frames);
        const trace: RiscvWalkLevel[] = [];
        const r = walkRiscv(frames, c, va, s.kind, s.priv, trace);
        if (!r.ok) {
          expect(r.cause).toBe(CAUSE[s.kind]);
          expect(r.tval).toBe(va);
          expect(memDiff(frames, before)).toBe('');
          return;
        }
        successes++;
        expect(r.pa & 0xfffn).toBe(va & 0xfffn);
        expect(r.pa < 1n << 56n).toBe(true);
        if (!s.adue) expect(memDiff(frames, before)).toBe('');
        const afterFirst = snapshot(frames);
        const second = walkRiscv(frames, c, va, s.kind, s.priv);
        expect(second).toEqual(r);
        expect(memDiff(frames, afterFirst)).toBe('');
        // Restore the leaf as read: memory is then exactly as before, so nothing else was written,
        // and the leaf itself differs at most in A and D.
        const last = trace[trace.length - 1] as RiscvWalkLevel;
        expect(last.level).toBe(r.level);
        expect((r.pte ^ last.pte) & ~(PTE_A | PTE_D)).toBe(0n);
        writeQword(frames, Number(last.tableAddr >> 12n), last.index * 8, last.pte);
        expect(memDiff(frames, before)).toBe('');
      }),
      { numRuns: 1000 },
    );
    // The generator must reach successful walks for the second half to mean anything.
    expect(successes).toBeGreaterThan(50);
  });
});
