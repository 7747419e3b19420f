import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ImageFrames, readQword, writeQword } from '../../image/types';
import { descFlags, encodeLeaf, encodeTable, type TableFields } from './desc';
import {
  type ArmAccessKind,
  type ArmWalkConfig,
  type ArmWalkLevel,
  type ArmWalkResult,
  walkArm64,
} from './walk';

// VA 0x0000_0080_8060_4567 split by hand (4 KiB granule, 48-bit VA):
//   bits 47:39 = 1, 38:30 = 2, 29:21 = 3, 20:12 = 4, offset 0x567.
const VA = 0x0000_0080_8060_4567n;
const ROOT = 0x4008_0000n;
const T1 = 0x4008_1000n;
const T2 = 0x4008_2000n;
const T3 = 0x4008_3000n;
const PAGE = 0x5000_0000n;
const CFG: ArmWalkConfig = {
  t0sz: 16,
  t1sz: 16,
  ttbr0: ROOT,
  ttbr1: 0x4009_0000n,
  hafdbs: false,
  pan: false,
  wxn: false,
  ips: 5,
};

function put(frames: ImageFrames, addr: bigint, value: bigint): void {
  writeQword(frames, Number(addr >> 12n), Number(addr & 0xfffn), value);
}

function get(frames: ImageFrames, addr: bigint): bigint {
  return readQword(frames, Number(addr >> 12n), Number(addr & 0xfffn));
}

const LEAF_AT = T3 + 4n * 8n;

/** Four-level tables for VA; `tables` are the controls of the level 0, 1 and 2 descriptors. */
function build(leaf: bigint, tables: [TableFields?, TableFields?, TableFields?] = []): ImageFrames {
  const f: ImageFrames = new Map();
  put(f, ROOT + 1n * 8n, encodeTable(T1, tables[0]));
  put(f, T1 + 2n * 8n, encodeTable(T2, tables[1]));
  put(f, T2 + 3n * 8n, encodeTable(T3, tables[2]));
  put(f, LEAF_AT, leaf);
  return f;
}

function snapshot(f: ImageFrames): string {
  return [...f.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, w]) => `${k}:${w.join(',')}`)
    .join('|');
}

function walk(
  f: ImageFrames,
  kind: ArmAccessKind,
  el: 0 | 1,
  cfg: Partial<ArmWalkConfig> = {},
  va = VA,
  trace?: ArmWalkLevel[],
): ArmWalkResult {
  return walkArm64(f, { ...CFG, ...cfg }, va, kind, el, trace);
}

function expectFault(r: ArmWalkResult, fault: string, level: number): void {
  expect(r.ok ? 'ok' : `${r.fault}@${r.level}`).toBe(`${fault}@${level}`);
}

function expectPa(r: ArmWalkResult, pa: bigint): void {
  expect(r.ok ? `0x${r.pa.toString(16)}` : `${r.fault}@${r.level}: ${r.reason}`).toBe(`0x${pa.toString(16)}`);
}

describe('descriptor encoding', () => {
  it('puts each field at its architectural bit', () => {
    const page = encodeLeaf({ oa: 0x1234_5000n, ap: 1, ng: true, dbm: true, pxn: true, uxn: true }, 3);
    // valid+page 0b11, AP[1]=bit 6, AF=10, nG=11, DBM=51, PXN=53, UXN=54
    expect(page).toBe(0x0068_0000_1234_5c43n);
    expect(descFlags(page, 3)).toBe('page AF AP=01 nG DBM PXN UXN');
    const table = encodeTable(0x4008_1000n, { pxnTable: true, uxnTable: true, apTable: 2 });
    expect(table).toBe(0x5800_0000_4008_1003n);
    expect(descFlags(table, 0)).toBe('table APTable=10 UXNTable PXNTable');
    expect(descFlags(encodeLeaf({ oa: 0x4000_0000n, af: false }, 1), 1)).toBe('block AP=00');
    expect(descFlags(0x4000_0001n, 0)).toBe('invalid');
  });
});

describe('a 4-level walk', () => {
  it('composes the PA and traces every descriptor read', () => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 1 }, 3));
    const trace: ArmWalkLevel[] = [];
    const r = walk(f, 'read', 0, {}, VA, trace);
    expectPa(r, 0x5000_0567n);
    expect(r.ok && r.level).toBe(3);
    expect(trace.map((t) => [t.level, t.tableAddr, t.index])).toEqual([
      [0, ROOT, 1],
      [1, T1, 2],
      [2, T2, 3],
      [3, T3, 4],
    ]);
    expect(trace[3]?.desc).toBe(get(f, LEAF_AT));
  });

  it('selects TTBR1 when VA bit 55 is set', () => {
    const f: ImageFrames = new Map();
    // 0xffff_8000_0000_1234: level 0 index 256, then 0, 0, 1.
    put(f, 0x4009_0000n + 256n * 8n, encodeTable(0x4009_1000n));
    put(f, 0x4009_1000n, encodeTable(0x4009_2000n));
    put(f, 0x4009_2000n, encodeTable(0x4009_3000n));
    put(f, 0x4009_3000n + 8n, encodeLeaf({ oa: 0x6000_0000n }, 3));
    expectPa(walk(f, 'read', 1, {}, 0xffff_8000_0000_1234n), 0x6000_0234n);
  });
});

describe('permissions: AP x EL x access (Arm ARM D8 Table "stage 1 data/instruction access")', () => {
  // [AP, EL, kind, allowed], written out by hand from the architecture's tables with UXN = PXN = 0.
  const cases: [number, 0 | 1, ArmAccessKind, boolean][] = [
    [0b00, 1, 'read', true],
    [0b00, 1, 'write', true],
    [0b00, 1, 'fetch', true],
    [0b00, 0, 'read', false],
    [0b00, 0, 'write', false],
    [0b00, 0, 'fetch', true], // execute-only at EL0: UXN alone governs EL0 execution
    [0b01, 1, 'read', true],
    [0b01, 1, 'write', true],
    [0b01, 1, 'fetch', false], // EL0-writable: implicit PXN
    [0b01, 0, 'read', true],
    [0b01, 0, 'write', true],
    [0b01, 0, 'fetch', true],
    [0b10, 1, 'read', true],
    [0b10, 1, 'write', false],
    [0b10, 1, 'fetch', true],
    [0b10, 0, 'read', false],
    [0b10, 0, 'write', false],
    [0b10, 0, 'fetch', true],
    [0b11, 1, 'read', true],
    [0b11, 1, 'write', false],
    [0b11, 1, 'fetch', true],
    [0b11, 0, 'read', true],
    [0b11, 0, 'write', false],
    [0b11, 0, 'fetch', true],
  ];
  it.each(cases)('AP=%i EL%i %s -> allowed %s', (ap, el, kind, allowed) => {
    const f = build(encodeLeaf({ oa: PAGE, ap }, 3));
    const r = walk(f, kind, el);
    if (allowed) expectPa(r, 0x5000_0567n);
    else expectFault(r, 'permission', 3);
  });

  it.each([
    ['UXN stops EL0 only', { uxn: true }, 0, false],
    ['UXN leaves EL1', { uxn: true }, 1, true],
    ['PXN stops EL1 only', { pxn: true }, 1, false],
    ['PXN leaves EL0', { pxn: true }, 0, true],
  ] as const)('%s', (_name, bits, el, allowed) => {
    const r = walk(build(encodeLeaf({ oa: PAGE, ap: 0b11, ...bits }, 3)), 'fetch', el);
    if (allowed) expectPa(r, 0x5000_0567n);
    else expectFault(r, 'permission', 3);
  });

  it('WXN makes memory writable by the accessing EL execute-never', () => {
    // AP=00: EL1 can write, so EL1 cannot execute under WXN; EL0 cannot write, so it still can.
    const rw = build(encodeLeaf({ oa: PAGE, ap: 0b00 }, 3));
    expectFault(walk(rw, 'fetch', 1, { wxn: true }), 'permission', 3);
    expectPa(walk(rw, 'fetch', 0, { wxn: true }), 0x5000_0567n);
    expectFault(
      walk(build(encodeLeaf({ oa: PAGE, ap: 0b01 }, 3)), 'fetch', 0, { wxn: true }),
      'permission',
      3,
    );
    expectPa(walk(build(encodeLeaf({ oa: PAGE, ap: 0b11 }, 3)), 'fetch', 0, { wxn: true }), 0x5000_0567n);
    expectPa(walk(build(encodeLeaf({ oa: PAGE, ap: 0b10 }, 3)), 'fetch', 1, { wxn: true }), 0x5000_0567n);
  });

  it('PAN faults EL1 data accesses to EL0-accessible memory, not fetches or EL0', () => {
    for (const ap of [0b01, 0b11]) {
      const f = build(encodeLeaf({ oa: PAGE, ap }, 3));
      expectFault(walk(f, 'read', 1, { pan: true }), 'permission', 3);
      expectPa(walk(f, 'read', 0, { pan: true }), 0x5000_0567n);
    }
    expectFault(
      walk(build(encodeLeaf({ oa: PAGE, ap: 0b01 }, 3)), 'write', 1, { pan: true }),
      'permission',
      3,
    );
    expectPa(walk(build(encodeLeaf({ oa: PAGE, ap: 0b00 }, 3)), 'write', 1, { pan: true }), 0x5000_0567n);
    expectPa(walk(build(encodeLeaf({ oa: PAGE, ap: 0b11 }, 3)), 'fetch', 1, { pan: true }), 0x5000_0567n);
    // APTable[0] removes EL0 access, so the page is no longer EL0-accessible for PAN either.
    const hidden = build(encodeLeaf({ oa: PAGE, ap: 0b01 }, 3), [{ apTable: 0b01 }]);
    expectPa(walk(hidden, 'read', 1, { pan: true }), 0x5000_0567n);
  });
});

describe('hierarchical controls in table descriptors', () => {
  it('APTable[0] removes EL0 access below the table', () => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b01 }, 3), [undefined, { apTable: 0b01 }]);
    expectFault(walk(f, 'read', 0), 'permission', 3);
    expectPa(walk(f, 'write', 1), 0x5000_0567n);
  });

  it('APTable[1] removes write access below the table at every EL', () => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b01 }, 3), [{ apTable: 0b10 }]);
    expectFault(walk(f, 'write', 1), 'permission', 3);
    expectFault(walk(f, 'write', 0), 'permission', 3);
    expectPa(walk(f, 'read', 0), 0x5000_0567n);
    // No longer EL0-writable after APTable, so implicit PXN no longer applies.
    expectPa(walk(f, 'fetch', 1), 0x5000_0567n);
  });

  it('UXNTable and PXNTable act like the leaf bits, from any level', () => {
    const u = build(encodeLeaf({ oa: PAGE, ap: 0b11 }, 3), [undefined, undefined, { uxnTable: true }]);
    expectFault(walk(u, 'fetch', 0), 'permission', 3);
    expectPa(walk(u, 'fetch', 1), 0x5000_0567n);
    const p = build(encodeLeaf({ oa: PAGE, ap: 0b11 }, 3), [{ pxnTable: true }]);
    expectFault(walk(p, 'fetch', 1), 'permission', 3);
    expectPa(walk(p, 'fetch', 0), 0x5000_0567n);
  });
});

describe('Access flag and dirty state', () => {
  it('AF = 0 without hardware management is an Access flag fault that writes nothing', () => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b01, af: false }, 3));
    const before = snapshot(f);
    const r = walk(f, 'read', 0);
    expectFault(r, 'access-flag', 3);
    expect(!r.ok && r.esr).toBe(0x9200_000bn);
    expect(snapshot(f)).toBe(before);
  });

  it('with HA the hardware sets AF in memory', () => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b01, af: false }, 3));
    const r = walk(f, 'read', 0, { hafdbs: true });
    expectPa(r, 0x5000_0567n);
    expect(get(f, LEAF_AT)).toBe(encodeLeaf({ oa: PAGE, ap: 0b01 }, 3));
    expect(r.ok && r.desc).toBe(get(f, LEAF_AT));
  });

  it('the Access flag fault takes priority over a Permission fault', () => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b00, af: false }, 3));
    expectFault(walk(f, 'read', 0), 'access-flag', 3);
    // With HA there is no AF fault; the permission fault stands and AF is not set.
    const before = snapshot(f);
    expectFault(walk(f, 'read', 0, { hafdbs: true }), 'permission', 3);
    expect(snapshot(f)).toBe(before);
  });

  it('a write to a clean DBM page clears AP[2] when otherwise permitted', () => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b11, dbm: true, af: false }, 3));
    expectPa(walk(f, 'read', 0, { hafdbs: true }), 0x5000_0567n);
    expect(get(f, LEAF_AT)).toBe(encodeLeaf({ oa: PAGE, ap: 0b11, dbm: true }, 3));
    expectPa(walk(f, 'write', 0, { hafdbs: true }), 0x5000_0567n);
    expect(get(f, LEAF_AT)).toBe(encodeLeaf({ oa: PAGE, ap: 0b01, dbm: true }, 3));

    const k = build(encodeLeaf({ oa: PAGE, ap: 0b10, dbm: true }, 3));
    expectPa(walk(k, 'write', 1, { hafdbs: true }), 0x5000_0567n);
    expect(get(k, LEAF_AT)).toBe(encodeLeaf({ oa: PAGE, ap: 0b00, dbm: true }, 3));
  });

  it.each([
    ['EL0 has no access (AP=10)', 0b10, 0, {}, [] as [TableFields?]],
    ['hardware dirty management off', 0b11, 0, { hafdbs: false }, []],
    ['APTable[1] above', 0b11, 0, {}, [{ apTable: 0b10 }]],
    ['PAN at EL1', 0b11, 1, { pan: true }, []],
  ] as const)('DBM does not help when %s', (_name, ap, el, cfg, tables) => {
    const f = build(encodeLeaf({ oa: PAGE, ap, dbm: true }, 3), [...tables] as [TableFields?]);
    const before = snapshot(f);
    expectFault(walk(f, 'write', el, { hafdbs: true, ...cfg }), 'permission', 3);
    expect(snapshot(f)).toBe(before);
  });

  it('a clean DBM page counts as EL0-writable for implicit PXN when HA/HD are on', () => {
    // AArch64.S1ApplyOutputPerms clears the effective AP[2] for every access, not only writes.
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b11, dbm: true }, 3));
    expectFault(walk(f, 'fetch', 1, { hafdbs: true }), 'permission', 3);
    expectPa(walk(f, 'fetch', 1, { hafdbs: false }), 0x5000_0567n);
  });
});

describe('descriptor types per level', () => {
  const OA = 0x4000_0400n; // AF set, address 1 GiB-aligned so it is also a valid block address
  // [level, low bits, expected]; other levels hold valid table descriptors.
  const cases: [number, bigint, string][] = [
    [0, 0b00n, 'translation@0'],
    [0, 0b10n, 'translation@0'],
    [0, 0b01n, 'translation@0'], // no blocks at level 0 without FEAT_LPA2
    [1, 0b00n, 'translation@1'],
    [1, 0b10n, 'translation@1'],
    [1, 0b01n, 'ok'],
    [2, 0b00n, 'translation@2'],
    [2, 0b10n, 'translation@2'],
    [2, 0b01n, 'ok'],
    [3, 0b00n, 'translation@3'],
    [3, 0b10n, 'translation@3'],
    [3, 0b01n, 'translation@3'], // reserved at level 3
    [3, 0b11n, 'ok'],
  ];
  it.each(cases)('level %i type %s -> %s', (level, type, expected) => {
    const f = build(encodeLeaf({ oa: PAGE }, 3));
    const at = [ROOT + 8n, T1 + 16n, T2 + 24n, LEAF_AT][level] as bigint;
    put(f, at, OA | type);
    const r = walk(f, 'read', 1);
    expect(r.ok ? 'ok' : `${r.fault}@${r.level}`).toBe(expected);
  });
});

describe('blocks', () => {
  it('a 1 GiB block at level 1 takes VA[29:0] and ignores its RES0 bits', () => {
    const f = build(0n);
    put(f, T1 + 16n, encodeLeaf({ oa: 0x8000_0000n, ap: 0b01 }, 1) | 0x1234_5000n);
    const trace: ArmWalkLevel[] = [];
    const r = walk(f, 'write', 0, {}, VA, trace);
    expectPa(r, 0x8060_4567n);
    expect(r.ok && r.level).toBe(1);
    expect(trace).toHaveLength(2);
  });

  it('a 2 MiB block at level 2 takes VA[20:0]', () => {
    const f = build(0n);
    put(f, T2 + 24n, encodeLeaf({ oa: 0x4060_0000n }, 2));
    const r = walk(f, 'read', 1);
    expectPa(r, 0x4060_4567n);
    expect(r.ok && r.level).toBe(2);
  });

  it('an Access flag fault on a block is reported at the block level', () => {
    const f = build(0n);
    put(f, T2 + 24n, encodeLeaf({ oa: 0x4060_0000n, af: false }, 2));
    const r = walk(f, 'fetch', 1);
    expectFault(r, 'access-flag', 2);
    expect(!r.ok && r.esr).toBe(0x8600_000an);
  });
});

describe('VA range', () => {
  const f = build(encodeLeaf({ oa: PAGE }, 3));
  it.each([
    ['bit 48 set in the TTBR0 half', 0x0001_0000_0000_0000n, {}],
    ['TTBR1 half with a 0 above bit 47', 0xfffe_ffff_ffff_f000n, {}],
    ['bit 55 set, upper bits clear', 0x0080_0000_0000_0000n, {}],
    ['bit 39 set with T0SZ=25', 0x0000_0080_0000_0000n, { t0sz: 25 }],
    ['bit 39 clear with T1SZ=25', 0xffff_ff00_0000_0000n, { t1sz: 25 }],
  ] as const)('%s is a level 0 Translation fault', (_name, va, cfg) => {
    const trace: ArmWalkLevel[] = [];
    const r = walk(f, 'read', 0, cfg, va, trace);
    expectFault(r, 'translation', 0);
    expect(!r.ok && r.far).toBe(va);
    expect(!r.ok && r.esr).toBe(0x9200_0004n);
    expect(trace).toHaveLength(0);
  });
});

describe('address size (TCR_EL1.IPS)', () => {
  it('a TTBR beyond the output size faults at level 0', () => {
    const r = walk(build(encodeLeaf({ oa: PAGE }, 3)), 'read', 1, { ips: 0, ttbr0: 0x1_4008_0000n });
    expectFault(r, 'address-size', 0);
    expect(!r.ok && r.esr).toBe(0x9600_0000n);
  });

  it('a next-table address beyond the output size faults at the table descriptor level', () => {
    const f = build(encodeLeaf({ oa: PAGE }, 3));
    put(f, T1 + 16n, encodeTable(0x1_4008_2000n));
    expectFault(walk(f, 'read', 1, { ips: 0 }), 'address-size', 1);
    put(f, T1 + 16n, (1n << 48n) | 0b11n); // bit 48 is outside the 4 KiB address field: ignored
    expectFault(walk(f, 'read', 1, { ips: 5 }), 'translation', 2);
  });

  it('an output address beyond the size faults at the leaf, before the Access flag', () => {
    const f = build(encodeLeaf({ oa: 0x1_0000_0000n, af: false }, 3));
    expectFault(walk(f, 'read', 1, { ips: 0 }), 'address-size', 3);
    const ok = build(encodeLeaf({ oa: 0xff_ffff_f000n }, 3));
    expectPa(walk(ok, 'read', 1, { ips: 2 }), 0xff_ffff_f567n);
    const over = build(encodeLeaf({ oa: 0x100_0000_0000n }, 3));
    expectFault(walk(over, 'read', 1, { ips: 2 }), 'address-size', 3);
    expectPa(walk(over, 'read', 1, { ips: 3 }), 0x100_0000_0567n);
  });

  it('checks block outputs too', () => {
    const f = build(0n);
    put(f, T2 + 24n, encodeLeaf({ oa: 0x1_0020_0000n }, 2));
    expectFault(walk(f, 'read', 1, { ips: 0 }), 'address-size', 2);
    expectPa(walk(f, 'read', 1, { ips: 1 }), 0x1_0020_4567n);
  });
});

describe('ESR_EL1 encodings (hand-computed)', () => {
  it.each([
    // EC 0x25 << 26 | IL | WnR | FSC translation level 1
    ['EL1 write, level 1 translation', 'write', 1, 1, 0x9600_0045n],
    // EC 0x20 << 26 | IL | FSC permission level 3
    ['EL0 fetch, UXN', 'fetch', 0, 3, 0x8200_000fn],
    // EC 0x24 << 26 | IL | WnR | FSC permission level 3
    ['EL0 write, read-only', 'write', 0, 3, 0x9200_004fn],
  ] as const)('%s', (_name, kind, el, level, esr) => {
    const f = build(encodeLeaf({ oa: PAGE, ap: 0b11, uxn: true }, 3));
    if (level === 1) put(f, T1 + 16n, 0n);
    const r = walk(f, kind, el);
    expect(!r.ok && [r.level, r.esr, r.far]).toEqual([level, esr, VA]);
  });
});

describe('TxSZ and the start level', () => {
  it('T0SZ=25 is a 3-level walk from level 1', () => {
    const f: ImageFrames = new Map();
    // 39-bit VA 0x80604567: level 1 index 2, level 2 index 3, level 3 index 4.
    put(f, ROOT + 16n, encodeTable(T2));
    put(f, T2 + 24n, encodeTable(T3));
    put(f, LEAF_AT, encodeLeaf({ oa: PAGE }, 3));
    const trace: ArmWalkLevel[] = [];
    expectPa(walk(f, 'read', 1, { t0sz: 25 }, 0x8060_4567n, trace), 0x5000_0567n);
    expect(trace.map((t) => [t.level, t.index])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
  });

  it('T0SZ=39 starts at level 2 with a 16-entry table', () => {
    const f: ImageFrames = new Map();
    put(f, ROOT + 15n * 8n, encodeTable(T3));
    put(f, LEAF_AT, encodeLeaf({ oa: PAGE }, 3));
    const trace: ArmWalkLevel[] = [];
    expectPa(walk(f, 'read', 1, { t0sz: 39 }, 0x01e0_4567n, trace), 0x5000_0567n);
    expect(trace.map((t) => t.level)).toEqual([2, 3]);
    expectFault(walk(f, 'read', 1, { t0sz: 39 }, 0x0200_0000n), 'translation', 0);
  });

  it('T0SZ=20 indexes level 0 with VA[43:39]', () => {
    const f = build(encodeLeaf({ oa: PAGE }, 3));
    put(f, ROOT + 17n * 8n, encodeTable(T1));
    expectPa(walk(f, 'read', 1, { t0sz: 20 }, (17n << 39n) | (VA & 0x7f_ffff_ffffn)), 0x5000_0567n);
  });
});

describe('properties', () => {
  // Random descriptors at the four levels of VA's path: type, attribute and control bits are
  // arbitrary, the address fields point at the next table (or an arbitrary 40-bit page).
  const ATTRS = 0xfffc_0000_0000_0ffcn; // bits 2-11 and 50-63
  const descArb = fc.record({
    type: fc.bigInt({ min: 0n, max: 3n }),
    attrs: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  });
  const arb = fc.record({
    descs: fc.tuple(descArb, descArb, descArb, descArb),
    page: fc.bigInt({ min: 0n, max: (1n << 28n) - 1n }),
    hafdbs: fc.boolean(),
    pan: fc.boolean(),
    wxn: fc.boolean(),
    ips: fc.integer({ min: 0, max: 5 }),
    kind: fc.constantFrom<ArmAccessKind>('read', 'write', 'fetch'),
    el: fc.constantFrom<0 | 1>(0, 1),
  });

  it('a faulting walk never writes; a successful one is idempotent', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const f: ImageFrames = new Map();
        const next = [T1, T2, T3, c.page << 12n];
        const at = [ROOT + 8n, T1 + 16n, T2 + 24n, LEAF_AT];
        c.descs.forEach((d, i) => {
          put(f, at[i] as bigint, (d.attrs & ATTRS) | (next[i] as bigint) | d.type);
        });
        const cfg = { hafdbs: c.hafdbs, pan: c.pan, wxn: c.wxn, ips: c.ips };
        const before = snapshot(f);
        const first = walk(f, c.kind, c.el, cfg);
        if (!first.ok) {
          expect(snapshot(f)).toBe(before);
          return;
        }
        const after = snapshot(f);
        const second = walk(f, c.kind, c.el, cfg);
        expect(second).toEqual(first);
        expect(snapshot(f)).toBe(after);
      }),
      { numRuns: 500 },
    );
  });
});
