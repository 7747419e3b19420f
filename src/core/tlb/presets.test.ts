import { describe, expect, it } from 'vitest';
import { createHierarchy } from './hierarchy';
import {
  CORTEX_A76_PRESET,
  presetById,
  SKYLAKE_PRESET,
  TEACHING_PRESET,
  TLB_PRESETS,
  type TlbArraySpec,
  type TlbPreset,
  validatePreset,
} from './presets';

function withArrays(arrays: TlbArraySpec[]): TlbPreset {
  return { ...TEACHING_PRESET, id: 'bad', arrays };
}

const L1: TlbArraySpec = {
  name: 'L1',
  role: 'l1',
  entries: 8,
  ways: 8,
  policy: 'lru',
  pageShifts: [12],
  source: 'test',
};

describe('built-in presets', () => {
  it('all validate and build', () => {
    for (const p of TLB_PRESETS) {
      expect(validatePreset(p)).toEqual({ ok: true, preset: p });
      const r = createHierarchy(p, 1);
      expect(r.ok).toBe(true);
      for (const a of p.arrays) expect(a.source.length).toBeGreaterThan(0);
    }
    expect(presetById('skylake')).toBe(SKYLAKE_PRESET);
    expect(presetById('nope')).toBeUndefined();
  });

  it('teaching: a handful of entries, fully associative, LRU, no split, no L2', () => {
    expect(TEACHING_PRESET.arrays).toHaveLength(1);
    const a = TEACHING_PRESET.arrays[0] as TlbArraySpec;
    expect([a.role, a.entries, a.ways, a.policy]).toEqual(['l1', 8, 8, 'lru']);
  });

  it('Skylake: the cited sizes and the resulting set counts', () => {
    const shape = SKYLAKE_PRESET.arrays.map((a) => [a.name, a.entries, a.ways, a.entries / a.ways]);
    expect(shape).toEqual([
      ['L1 iTLB 4K', 128, 8, 16],
      ['L1 iTLB 2M', 8, 8, 1],
      ['L1 dTLB 4K', 64, 4, 16],
      ['L1 dTLB 2M', 32, 4, 8],
      ['L1 dTLB 1G', 4, 4, 1],
      ['STLB 4K+2M', 1536, 12, 128],
      ['STLB 1G', 16, 4, 4],
    ]);
  });

  it('Cortex-A76: 48 + 48 fully associative L1s, 1280-entry 5-way L2', () => {
    const shape = CORTEX_A76_PRESET.arrays.map((a) => [a.role, a.entries, a.ways]);
    expect(shape).toEqual([
      ['l1i', 48, 48],
      ['l1d', 48, 48],
      ['l2', 1280, 5],
    ]);
  });
});

describe('invalid presets are rejected with a value', () => {
  const cases: [string, TlbPreset, RegExp][] = [
    ['sets not a power of two', withArrays([{ ...L1, entries: 24, ways: 4 }]), /power of two \(got 6\)/],
    ['entries not a multiple of ways', withArrays([{ ...L1, entries: 10, ways: 4 }]), /not a multiple/],
    ['zero ways', withArrays([{ ...L1, ways: 0 }]), /positive integers/],
    ['fractional entries', withArrays([{ ...L1, entries: 7.5 }]), /positive integers/],
    ['PLRU with 12 ways', withArrays([{ ...L1, entries: 12, ways: 12, policy: 'plru' }]), /tree-PLRU/],
    ['no arrays', withArrays([]), /no TLB arrays/],
    ['only an instruction L1', withArrays([{ ...L1, role: 'l1i' }]), /both l1i and l1d/],
    ['unified and split L1 mixed', withArrays([L1, { ...L1, role: 'l1i' }, { ...L1, role: 'l1d' }]), /mixes/],
    [
      'two arrays of a role holding one size',
      withArrays([L1, { ...L1, name: 'L1b', pageShifts: [12, 21] }]),
      /already holds/,
    ],
    ['an L1 side without 4K pages', withArrays([{ ...L1, pageShifts: [21] }]), /no 4 KiB pages/],
    [
      'an unknown page size',
      withArrays([{ ...L1, pageShifts: [12, 22 as 21] }]),
      /unsupported page shift 22/,
    ],
    ['a holds-nothing array', withArrays([L1, { ...L1, role: 'l2', pageShifts: [] }]), /holds no page size/],
    ['a negative cost', { ...TEACHING_PRESET, costs: { l1Hit: -1, l2Hit: 1, miss: 1 } }, /cost l1Hit/],
  ];
  it.each(cases)('%s', (_name, preset, msg) => {
    const v = validatePreset(preset);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error).toMatch(msg);
    const h = createHierarchy(preset, 1);
    expect(h.ok).toBe(false);
  });
});
