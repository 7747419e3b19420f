import { describe, expect, it } from 'vitest';
import { readEntry, walkPageTable, newWalkOut, type WalkLevel, DEFAULT_CONTROL } from './walk';
import { decodeFlags, encodeEntry, entryPfn, levelIndex } from './pte';
import { hexEntry } from '../../hex';
import { memWith } from '../../testing/memBuilder';

// VA 0x7f0000401123, split by hand (SDM 4.5, 4-level paging):
//   bits 47:39 = 0x0fe (254), 38:30 = 0, 29:21 = 2, 20:12 = 1, offset 0x123.
const VA = 0x7f0000401123;
const VPN = Math.floor(VA / 4096);
const CR3 = 0x10;
const PDPT = 0x11;
const PD = 0x12;
const PT = 0x13;
const PAGE = 0x1234;

function tables(
  leaf: Parameters<typeof encodeEntry>[0],
  pdOverrides: Partial<Parameters<typeof encodeEntry>[0]> = {},
) {
  return memWith([
    { table: CR3, index: 254, e: { pfn: PDPT, rw: true, us: true } },
    { table: PDPT, index: 0, e: { pfn: PD, rw: true, us: true } },
    { table: PD, index: 2, e: { pfn: PT, rw: true, us: true, ...pdOverrides } },
    { table: PT, index: 1, e: leaf },
  ]);
}

describe('entry encoding', () => {
  it('puts each flag at its architectural bit', () => {
    const [lo, hi] = encodeEntry({ pfn: 0x1234, rw: true, us: true, a: true, d: true, g: true, nx: true });
    // P=0 RW=1 US=2 A=5 D=6 G=8, address from bit 12, XD=63
    expect(hexEntry(lo, hi)).toBe('0x8000000001234167');
    const [lo2, hi2] = encodeEntry({ pfn: 0xabcdef123, ps: true });
    expect(hexEntry(lo2, hi2)).toBe('0x0000abcdef123081');
    expect(entryPfn(lo2, hi2)).toBe(0xabcdef123);
    expect(decodeFlags(lo, hi)).toMatchObject({
      p: true,
      rw: true,
      us: true,
      a: true,
      d: true,
      g: true,
      nx: true,
      ps: false,
    });
  });

  it('splits a VA into the four 9-bit indices', () => {
    expect([4, 3, 2, 1].map((l) => levelIndex(VPN, l))).toEqual([254, 0, 2, 1]);
    // An upper-half address: its 52-bit page number still indexes exactly.
    const kvpn = Number(0xffff888000201000n >> 12n);
    expect([4, 3, 2, 1].map((l) => levelIndex(kvpn, l))).toEqual([273, 0, 1, 1]);
  });
});

describe('walkPageTable (4-level)', () => {
  it('translates a user read and records one trace record per level', () => {
    const mem = tables({ pfn: PAGE, rw: true, us: true, nx: true });
    const out = newWalkOut();
    const trace: WalkLevel[] = [];
    expect(walkPageTable(mem, CR3, VPN, 'read', true, DEFAULT_CONTROL, out, trace)).toBe(true);
    expect(out.pfn * 4096 + (VA % 4096)).toBe(0x1234123);
    expect(trace.map((t) => [t.level, t.tablePfn, t.index])).toEqual([
      [4, CR3, 254],
      [3, PDPT, 0],
      [2, PD, 2],
      [1, PT, 1],
    ]);
    // A is set on every level used, D is not set by a read (SDM 4.8).
    for (const [t, i] of [
      [CR3, 254],
      [PDPT, 0],
      [PD, 2],
      [PT, 1],
    ] as const) {
      expect(decodeFlags(...readEntry(mem, t, i)).a).toBe(true);
    }
    expect(decodeFlags(...readEntry(mem, PT, 1)).d).toBe(false);
  });

  it('sets D on the leaf for a write, only there', () => {
    const mem = tables({ pfn: PAGE, rw: true, us: true });
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'write', true, DEFAULT_CONTROL, out, null)).toBe(true);
    expect(decodeFlags(...readEntry(mem, PT, 1)).d).toBe(true);
    expect(decodeFlags(...readEntry(mem, PD, 2)).d).toBe(false);
  });

  it('reports a not-present fault at the level that is missing, with P=0 in the error code', () => {
    const mem = memWith([
      { table: CR3, index: 254, e: { pfn: PDPT, rw: true, us: true } },
      { table: PDPT, index: 0, e: { pfn: PD, rw: true, us: true } },
    ]);
    const out = newWalkOut();
    const trace: WalkLevel[] = [];
    expect(walkPageTable(mem, CR3, VPN, 'write', true, DEFAULT_CONTROL, out, trace)).toBe(false);
    expect(out.fault).toBe('not-present');
    expect(out.level).toBe(2);
    expect(out.errorCode).toBe(0b110); // W | U
    expect(trace).toHaveLength(3);
    // The entries the walk used on the way down get A; the one it faulted on is untouched.
    expect(decodeFlags(...readEntry(mem, CR3, 254)).a).toBe(true);
    expect(decodeFlags(...readEntry(mem, PDPT, 0)).a).toBe(true);
  });

  it('faults on a user write to a read-only page: error code P|W|U, and leaves A clear', () => {
    const mem = tables({ pfn: PAGE, rw: false, us: true });
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'write', true, DEFAULT_CONTROL, out, null)).toBe(false);
    expect(out.fault).toBe('protection');
    expect(out.errorCode).toBe(0b111);
    expect(decodeFlags(...readEntry(mem, PT, 1)).a).toBe(false);
  });

  it('combines R/W by AND across levels: a read-only PD makes a writable PTE read-only', () => {
    const mem = tables({ pfn: PAGE, rw: true, us: true }, { rw: false });
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'write', true, DEFAULT_CONTROL, out, null)).toBe(false);
    expect(out.errorCode).toBe(7);
    expect(walkPageTable(mem, CR3, VPN, 'read', true, DEFAULT_CONTROL, out, null)).toBe(true);
    expect(out.rw).toBe(false);
  });

  it('faults on a user read of a supervisor page (U/S=0 anywhere on the path): P|U', () => {
    const mem = tables({ pfn: PAGE, rw: true, us: true }, { us: false });
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'read', true, DEFAULT_CONTROL, out, null)).toBe(false);
    expect(out.errorCode).toBe(0b101);
    // The same page is fine for the kernel.
    expect(walkPageTable(mem, CR3, VPN, 'read', false, DEFAULT_CONTROL, out, null)).toBe(true);
  });

  it('lets a supervisor write to a read-only page only when CR0.WP is clear', () => {
    const mem = tables({ pfn: PAGE, rw: false, us: false });
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'write', false, DEFAULT_CONTROL, out, null)).toBe(false);
    expect(out.errorCode).toBe(0b011);
    expect(walkPageTable(mem, CR3, VPN, 'write', false, { ...DEFAULT_CONTROL, wp: false }, out, null)).toBe(
      true,
    );
  });

  it('faults on a fetch from an NX page with the I bit, when EFER.NXE is set', () => {
    const mem = tables({ pfn: PAGE, rw: false, us: true, nx: true });
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'fetch', true, DEFAULT_CONTROL, out, null)).toBe(false);
    expect(out.errorCode).toBe(0b10101);
    // With EFER.NXE clear, bit 63 is a reserved bit: the walk stops with RSVD (SDM 4.5).
    expect(walkPageTable(mem, CR3, VPN, 'fetch', true, { ...DEFAULT_CONTROL, nxe: false }, out, null)).toBe(
      false,
    );
    expect(out.fault).toBe('reserved');
  });

  it('stops at a 2 MiB page (PS in the PD entry) and adds the 21-bit offset', () => {
    const mem = memWith([
      { table: CR3, index: 254, e: { pfn: PDPT, rw: true, us: true } },
      { table: PDPT, index: 0, e: { pfn: PD, rw: true, us: true } },
      { table: PD, index: 2, e: { pfn: 0x200, rw: true, us: true, ps: true } },
    ]);
    const out = newWalkOut();
    const trace: WalkLevel[] = [];
    expect(walkPageTable(mem, CR3, VPN, 'read', true, DEFAULT_CONTROL, out, trace)).toBe(true);
    expect(trace).toHaveLength(3);
    expect(out.pageShift).toBe(21);
    // PA = 2 MiB base (frame 0x200) + VA bits 20:0 (0x001123)
    expect(out.pfn * 4096 + (VA % 4096)).toBe(0x200000 + 0x1123);
  });

  it('stops at a 1 GiB page (PS in the PDPT entry)', () => {
    const mem = memWith([
      { table: CR3, index: 254, e: { pfn: PDPT, rw: true, us: true } },
      { table: PDPT, index: 0, e: { pfn: 0x40000, rw: true, us: true, ps: true } },
    ]);
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'read', true, DEFAULT_CONTROL, out, null)).toBe(true);
    expect(out.pageShift).toBe(30);
    expect(out.pfn * 4096 + (VA % 4096)).toBe(0x40000000 + 0x401123);
  });

  it('peeks without touching A or D when update is false', () => {
    const mem = tables({ pfn: PAGE, rw: true, us: true });
    const out = newWalkOut();
    expect(walkPageTable(mem, CR3, VPN, 'write', true, DEFAULT_CONTROL, out, null, false)).toBe(true);
    expect(decodeFlags(...readEntry(mem, PT, 1))).toMatchObject({ a: false, d: false });
  });
});
