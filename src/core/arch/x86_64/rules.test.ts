// The x86-64 rules, row by row from Intel SDM Vol. 3A: access rights (4.6.1), the #PF error code
// (4.7), reserved bits (4.5, tables 4-14 to 4-20), page sizes, 5-level paging and canonical
// addresses (3.3.7.1), accessed and dirty flags (4.8). Each row's expectation is written out.
import { describe, expect, it } from 'vitest';
import { runX86Image, type X86Access, type X86Image } from '../../image/x86_64';
import { type ImageFrames, readQword, writeQword } from '../../image/types';
import { isCanonical } from './control';

// Tables at fixed frames; the access VA uses index 1 at every level.
const T = [0, 0x1000, 0x2000, 0x3000, 0x4000, 0x5000]; // T[level] = table address
const DATA = 0x7000;
const VA = (1n << 39n) | (1n << 30n) | (1n << 21n) | (1n << 12n) | 0x2abn; // 4-level indices 1,1,1,1
const VA5 = VA | (1n << 48n);

interface Setup {
  levels?: 4 | 5;
  maxphyaddr?: number;
  wp?: boolean;
  smep?: boolean;
  smap?: boolean;
  nxe?: boolean;
  pge?: boolean;
  /** Extra bits per level (ORed into the entry), or a replacement entry. */
  or?: Partial<Record<number, bigint>>;
  clear?: Partial<Record<number, bigint>>;
  /** The level whose entry is the leaf (PS set there when above 1). */
  leaf?: 1 | 2 | 3;
  leafAddr?: bigint;
}

function build(s: Setup): { frames: ImageFrames; img: Omit<X86Image, 'accesses'> } {
  const levels = s.levels ?? 4;
  const leaf = s.leaf ?? 1;
  const frames: ImageFrames = new Map();
  for (let level: number = levels; level >= leaf; level--) {
    const isLeaf = level === leaf;
    let e = 0x7n; // P, R/W, U/S
    e |= isLeaf ? (s.leafAddr ?? BigInt(DATA)) | (leaf > 1 ? 0x80n : 0n) : BigInt(T[level - 1] as number);
    e |= s.or?.[level] ?? 0n;
    e &= ~(s.clear?.[level] ?? 0n);
    writeQword(frames, (T[level] as number) >> 12, 8, e); // index 1
  }
  return {
    frames,
    img: {
      arch: 'x86_64',
      levels,
      maxphyaddr: s.maxphyaddr ?? 40,
      cr3: BigInt(T[levels] as number),
      cr0Wp: s.wp ?? true,
      cr4Smep: s.smep ?? false,
      cr4Smap: s.smap ?? false,
      cr4Pge: s.pge ?? true,
      eferNxe: s.nxe ?? true,
    },
  };
}

function access(s: Setup, a: Partial<X86Access>) {
  const { frames, img } = build(s);
  const va = a.va ?? (s.levels === 5 ? VA5 : VA);
  const [r] = runX86Image(
    { ...img, accesses: [{ va, kind: a.kind ?? 'read', cpl: a.cpl ?? 3, ac: a.ac ?? false }] },
    frames,
  );
  return { r: r as Record<string, unknown>, frames };
}

const XD = 1n << 63n;
const P = 1;
const W = 2;
const U = 4;
const RSVD = 8;
const I = 16;

describe('access rights and error codes (SDM 4.6.1, 4.7)', () => {
  // [cpl, leaf U/S, leaf R/W, XD, WP, SMEP, SMAP, AC, NXE, kind, expected error code or 'ok']
  type Row = [
    0 | 3,
    0 | 1,
    0 | 1,
    0 | 1,
    0 | 1,
    0 | 1,
    0 | 1,
    0 | 1,
    0 | 1,
    'read' | 'write' | 'fetch',
    number | 'ok',
  ];
  const rows: Row[] = [
    // user mode
    [3, 1, 1, 0, 1, 0, 0, 0, 1, 'read', 'ok'],
    [3, 1, 1, 0, 1, 0, 0, 0, 1, 'write', 'ok'],
    [3, 1, 1, 0, 1, 0, 0, 0, 1, 'fetch', 'ok'],
    [3, 1, 0, 0, 1, 0, 0, 0, 1, 'write', P | W | U],
    [3, 1, 0, 0, 0, 0, 0, 0, 1, 'write', P | W | U], // CR0.WP does not matter in user mode
    [3, 0, 1, 0, 1, 0, 0, 0, 1, 'read', P | U],
    [3, 0, 1, 0, 1, 0, 0, 0, 1, 'write', P | W | U],
    [3, 0, 1, 0, 1, 0, 0, 0, 1, 'fetch', P | U | I],
    [3, 1, 1, 1, 1, 0, 0, 0, 1, 'fetch', P | U | I],
    [3, 1, 1, 1, 1, 0, 0, 0, 1, 'read', 'ok'], // XD only stops fetches
    [3, 1, 1, 1, 1, 0, 0, 0, 0, 'read', P | U | RSVD], // with NXE clear, bit 63 is reserved
    [3, 1, 1, 1, 1, 0, 0, 0, 0, 'fetch', P | U | RSVD], // ... and I is reported only with NXE or SMEP
    [3, 1, 1, 1, 1, 1, 0, 0, 0, 'fetch', P | U | RSVD | I],
    [3, 1, 1, 0, 1, 1, 1, 0, 1, 'read', 'ok'], // SMEP/SMAP never restrict user mode
    // supervisor mode, supervisor pages
    [0, 0, 0, 0, 1, 0, 0, 0, 1, 'read', 'ok'],
    [0, 0, 0, 0, 1, 0, 0, 0, 1, 'write', P | W],
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 'write', 'ok'], // WP clear: the kernel writes through read-only
    [0, 0, 1, 1, 1, 0, 0, 0, 1, 'fetch', P | I],
    [0, 0, 1, 0, 1, 1, 1, 0, 1, 'fetch', 'ok'], // SMEP is about user pages only
    [0, 0, 1, 0, 1, 1, 1, 0, 1, 'write', 'ok'],
    // supervisor mode, user pages: SMAP and AC
    [0, 1, 1, 0, 1, 0, 0, 0, 1, 'read', 'ok'],
    [0, 1, 1, 0, 1, 0, 1, 0, 1, 'read', P],
    [0, 1, 1, 0, 1, 0, 1, 1, 1, 'read', 'ok'],
    [0, 1, 1, 0, 1, 0, 1, 0, 1, 'write', P | W],
    [0, 1, 1, 0, 1, 0, 1, 1, 1, 'write', 'ok'],
    [0, 1, 0, 0, 1, 0, 1, 1, 1, 'write', P | W], // AC opens SMAP, WP still applies
    [0, 1, 0, 0, 0, 0, 1, 1, 1, 'write', 'ok'],
    [0, 1, 0, 0, 0, 0, 1, 0, 1, 'write', P | W], // WP clear does not open SMAP
    [0, 1, 0, 0, 1, 0, 0, 0, 1, 'write', P | W],
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 'write', 'ok'],
    // supervisor mode, user pages: SMEP and XD
    [0, 1, 1, 0, 1, 0, 0, 0, 1, 'fetch', 'ok'],
    [0, 1, 1, 0, 1, 1, 0, 0, 1, 'fetch', P | I],
    [0, 1, 1, 0, 1, 1, 1, 1, 1, 'fetch', P | I], // AC does not help a fetch
    [0, 1, 1, 0, 1, 1, 0, 0, 0, 'fetch', P | I], // I reported through SMEP with NXE clear
    [0, 1, 1, 1, 1, 0, 0, 0, 1, 'fetch', P | I],
    [0, 1, 1, 0, 1, 0, 1, 0, 1, 'fetch', 'ok'], // SMAP is about data, not fetches
  ];
  it.each(rows)(
    'cpl %i U/S=%i R/W=%i XD=%i WP=%i SMEP=%i SMAP=%i AC=%i NXE=%i %s -> %s',
    (cpl, us, rw, xd, wp, smep, smap, ac, nxe, kind, want) => {
      const { r } = access(
        {
          wp: !!wp,
          smep: !!smep,
          smap: !!smap,
          nxe: !!nxe,
          clear: { 1: (us ? 0n : 4n) | (rw ? 0n : 2n) },
          or: { 1: xd ? XD : 0n },
        },
        { cpl, kind, ac: !!ac },
      );
      if (want === 'ok') expect(r).toEqual({ ok: true, pa: '0x72ab' });
      else expect(r).toEqual({ ok: false, vector: 14, error_code: want, cr2: `0x${VA.toString(16)}` });
    },
  );

  it('combines U/S and R/W by AND and XD by OR over every level', () => {
    for (const level of [4, 3, 2, 1]) {
      expect(access({ clear: { [level]: 4n } }, { cpl: 3 }).r).toMatchObject({ error_code: P | U });
      expect(access({ clear: { [level]: 2n } }, { cpl: 3, kind: 'write' }).r).toMatchObject({
        error_code: P | W | U,
      });
      expect(access({ or: { [level]: XD } }, { cpl: 3, kind: 'fetch' }).r).toMatchObject({
        error_code: P | U | I,
      });
    }
  });

  it('reports a not-present entry at any level with P clear', () => {
    const cases: [X86Access['kind'], 0 | 3, boolean, boolean, number][] = [
      ['read', 3, true, false, U],
      ['write', 3, true, false, W | U],
      ['fetch', 3, true, false, U | I],
      ['read', 0, true, false, 0],
      ['write', 0, true, false, W],
      ['fetch', 0, false, false, 0], // neither NXE nor SMEP: no I bit
      ['fetch', 0, false, true, I],
    ];
    for (const level of [4, 3, 2, 1]) {
      for (const [kind, cpl, nxe, smep, code] of cases) {
        const { r } = access({ nxe, smep, clear: { [level]: 1n } }, { kind, cpl });
        expect(r).toEqual({ ok: false, vector: 14, error_code: code, cr2: `0x${VA.toString(16)}` });
      }
    }
  });
});

describe('reserved bits (SDM 4.5): #PF with P and RSVD set, at the level that has them', () => {
  it('flags every address bit from MAXPHYADDR to 51, in every level, and no bit below', () => {
    for (const maxphyaddr of [36, 40, 46, 52]) {
      for (const level of [4, 3, 2, 1]) {
        for (let bit = 12; bit <= 51; bit++) {
          // Table addresses stay below 2^16, so setting a bit below MAXPHYADDR just points elsewhere.
          if (bit < maxphyaddr && bit > 16) {
            const { r } = access({ maxphyaddr, or: { [level]: 1n << BigInt(bit) } }, {});
            expect(r.error_code, `bit ${bit} level ${level} M=${maxphyaddr}`).not.toBe(P | U | RSVD);
          }
          if (bit >= maxphyaddr) {
            const { r } = access({ maxphyaddr, or: { [level]: 1n << BigInt(bit) } }, {});
            expect(r, `bit ${bit} level ${level} M=${maxphyaddr}`).toMatchObject({
              error_code: P | U | RSVD,
            });
          }
        }
      }
    }
  });

  it('ignores bits 52 to 62 (software and protection-key bits with CR4.PKE clear)', () => {
    for (let bit = 52; bit <= 62; bit++) {
      expect(access({ or: { 4: 1n << BigInt(bit), 1: 1n << BigInt(bit) } }, {}).r).toMatchObject({
        ok: true,
      });
    }
  });

  it('treats PS in a PML4E or a PML5E as reserved', () => {
    expect(access({ or: { 4: 0x80n } }, {}).r).toMatchObject({ error_code: P | U | RSVD });
    expect(access({ levels: 5, or: { 5: 0x80n } }, {}).r).toMatchObject({ error_code: P | U | RSVD });
    expect(access({ levels: 5, or: { 4: 0x80n } }, {}).r).toMatchObject({ error_code: P | U | RSVD });
  });

  it('checks the alignment bits of a 2 MiB (20:13) and a 1 GiB (29:13) page, not their PAT bit 12', () => {
    const big = { leafAddr: 0x40000000n };
    for (let bit = 13; bit <= 20; bit++) {
      expect(access({ ...big, leaf: 2, or: { 2: 1n << BigInt(bit) } }, {}).r).toMatchObject({
        error_code: P | U | RSVD,
      });
    }
    for (let bit = 13; bit <= 29; bit++) {
      expect(access({ ...big, leaf: 3, or: { 3: 1n << BigInt(bit) } }, {}).r).toMatchObject({
        error_code: P | U | RSVD,
      });
    }
    // PAT (bit 12) is an attribute, not an address bit: the PA ignores it.
    expect(access({ ...big, leaf: 2, or: { 2: 1n << 12n } }, {}).r).toEqual({ ok: true, pa: '0x400012ab' });
    expect(access({ ...big, leaf: 3, or: { 3: 1n << 12n } }, {}).r).toEqual({ ok: true, pa: '0x402012ab' });
  });

  it('reports RSVD before rights: a reserved bit low in the walk wins over U/S=0 above it', () => {
    expect(access({ clear: { 4: 4n }, or: { 1: 1n << 45n } }, {}).r).toMatchObject({
      error_code: P | U | RSVD,
    });
  });
});

describe('page sizes, 5-level paging and canonical addresses', () => {
  it('maps 4 KiB, 2 MiB and 1 GiB pages with 4 and 5 levels', () => {
    for (const levels of [4, 5] as const) {
      expect(access({ levels }, {}).r).toEqual({ ok: true, pa: '0x72ab' });
      // The offset inside a 2 MiB page is VA bits 20:0 (0x12ab); inside a 1 GiB page, 29:0 (0x2012ab).
      expect(access({ levels, leaf: 2, leafAddr: 0x40000000n }, {}).r).toEqual({
        ok: true,
        pa: '0x400012ab',
      });
      expect(access({ levels, leaf: 3, leafAddr: 0x40000000n }, {}).r).toEqual({
        ok: true,
        pa: '0x402012ab',
      });
    }
  });

  it('walks five tables with LA57 and four without', () => {
    const five = build({ levels: 5 });
    // The PML5 entry is used: it gets A.
    runX86Image({ ...five.img, accesses: [{ va: VA5, kind: 'read', cpl: 3, ac: false }] }, five.frames);
    expect(readQword(five.frames, 5, 8) & 0x20n).toBe(0x20n);
  });

  it('knows canonical addresses for 48 and 57 bits', () => {
    expect(isCanonical(0x00007fffffffffffn, 4)).toBe(true);
    expect(isCanonical(0x0000800000000000n, 4)).toBe(false);
    expect(isCanonical(0xffff800000000000n, 4)).toBe(true);
    expect(isCanonical(0x0000800000000000n, 5)).toBe(true);
    expect(isCanonical(0x0100000000000000n, 5)).toBe(false);
    expect(isCanonical(0xff00000000000000n, 5)).toBe(true);
    expect(isCanonical(0xfe00000000000000n, 5)).toBe(false);
  });

  it('raises #GP (vector 13, no error code or CR2) for a non-canonical address, and touches nothing', () => {
    const { r, frames } = access({}, { va: VA | (1n << 50n) });
    expect(r).toEqual({ ok: false, vector: 13 });
    expect(readQword(frames, 4, 8) & 0x20n).toBe(0n);
  });
});

describe('accessed and dirty flags (SDM 4.8)', () => {
  const a = (frames: ImageFrames, level: number) =>
    (readQword(frames, (T[level] as number) >> 12, 8) >> 5n) & 3n; // D A

  it('sets A on every level for a read, and D on the leaf only for a write', () => {
    let { frames } = access({}, { kind: 'read' });
    expect([4, 3, 2, 1].map((l) => a(frames, l))).toEqual([1n, 1n, 1n, 1n]);
    ({ frames } = access({}, { kind: 'write' }));
    expect([4, 3, 2, 1].map((l) => a(frames, l))).toEqual([1n, 1n, 1n, 3n]);
  });

  it('on a fault, keeps the A bits of the entries above and leaves the faulting entry alone', () => {
    let { frames } = access({ clear: { 2: 1n } }, {});
    expect([4, 3, 2].map((l) => a(frames, l))).toEqual([1n, 1n, 0n]);
    ({ frames } = access({ clear: { 1: 2n } }, { kind: 'write' }));
    expect([4, 3, 2, 1].map((l) => a(frames, l))).toEqual([1n, 1n, 1n, 0n]);
    ({ frames } = access({ or: { 3: 1n << 45n } }, {}));
    expect([4, 3].map((l) => a(frames, l))).toEqual([1n, 0n]);
  });

  it('sets D on a 2 MiB leaf (the PDE), not on anything above', () => {
    const { frames } = access({ leaf: 2, leafAddr: 0x40000000n }, { kind: 'write' });
    expect([4, 3, 2].map((l) => a(frames, l))).toEqual([1n, 1n, 3n]);
  });
});
