import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, parseMachineImage } from './parse';

const x86 = {
  arch: 'x86_64',
  levels: 4,
  maxphyaddr: 40,
  cr3: '0x1000',
  cr0_wp: true,
  cr4_smep: false,
  cr4_smap: false,
  cr4_pge: true,
  efer_nxe: true,
  frames: { '0x1000': '07200000' },
  accesses: [{ va: '0x00007f0000400123', kind: 'read', cpl: 3, ac: false }],
};

const err = (v: unknown) => {
  const r = parseMachineImage(typeof v === 'string' ? v : JSON.stringify(v));
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

describe('parseMachineImage', () => {
  it('accepts the documented x86-64 example and reads frame bytes in memory order', () => {
    const r = parseMachineImage(JSON.stringify(x86));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.image).toMatchObject({ arch: 'x86_64', cr3: 0x1000n });
    expect(r.value.frames.get(1)?.[0]).toBe(0x2007); // bytes 07 20 00 00, little-endian
    expect([...r.value.frameKeys]).toEqual([['0x1000', 1]]);
  });

  it('names the field that is wrong, in one line', () => {
    expect(err({ ...x86, levels: 3 })).toMatch(/^levels: /);
    expect(err({ ...x86, accesses: [{ va: 'zz', kind: 'read', cpl: 3 }] })).toMatch(/^accesses\[0\]\.va: /);
    expect(err({ ...x86, accesses: [{ va: '0x1', kind: 'exec', cpl: 3 }] })).toMatch(
      /^accesses\[0\]\.kind: /,
    );
    expect(err({ ...x86, extra: 1 })).toMatch(/extra/);
    expect(err({ ...x86, cr3: '0x10000000000' })).toMatch(/^cr3: .*MAXPHYADDR/);
    expect(err({ ...x86, arch: 'mips' })).toMatch(/^arch: /);
    expect(err('[1,2]')).toMatch(/^image: /);
    expect(err('{')).toMatch(/^not JSON/);
  });

  it('checks frame addresses and contents', () => {
    expect(err({ ...x86, frames: { '0x1001': '' } })).toMatch(/not 4 KiB aligned/);
    expect(err({ ...x86, frames: { '0x10000000000': '' } })).toMatch(/above the 40-bit/);
    expect(err({ ...x86, frames: { 'not-hex': '' } })).toMatch(/not a hex physical address/);
    expect(err({ ...x86, frames: { '0x1000': '', '0x01000': '' } })).toMatch(/twice/);
    expect(err({ ...x86, frames: { '0x1000': 'abc' } })).toMatch(/^frames\.0x1000: .*even/);
    expect(err({ ...x86, frames: { '0x1000': '00'.repeat(4097) } })).toMatch(/4096 bytes/);
  });

  it('caps the size before parsing and bounds the lists', () => {
    expect(err(' '.repeat(MAX_IMAGE_BYTES + 1))).toMatch(/limit/);
    const many = Array.from({ length: 4097 }, () => x86.accesses[0]);
    expect(err({ ...x86, accesses: many })).toMatch(/^accesses: /);
    const frames = Object.fromEntries(
      Array.from({ length: 4097 }, (_, i) => [`0x${((i + 1) * 4096).toString(16)}`, '']),
    );
    expect(err({ ...x86, frames })).toMatch(/4097 frames/);
  });

  it('dispatches riscv64 and arm64 images to their schemas', () => {
    const rv = {
      arch: 'riscv64',
      mode: 'sv39',
      satp_ppn: '0x80200',
      asid: 0,
      sum: false,
      mxr: false,
      adue: true,
      frames: {},
      accesses: [],
    };
    expect(parseMachineImage(JSON.stringify(rv)).ok).toBe(true);
    expect(err({ ...rv, mode: 'sv32' })).toMatch(/^mode: /);
    expect(err({ ...rv, frames: { '0x100000000000000': '' } })).toMatch(/above the 56-bit/);
    const arm = {
      arch: 'arm64',
      granule: '4k',
      t0sz: 16,
      t1sz: 16,
      ttbr0: '0x40080000',
      ttbr1: '0x40090000',
      asid: 0,
      hafdbs: false,
      pan: false,
      wxn: false,
      ips: 5,
      frames: {},
      accesses: [],
    };
    expect(parseMachineImage(JSON.stringify(arm)).ok).toBe(true);
    expect(err({ ...arm, granule: '64k' })).toMatch(/^granule: /);
    expect(err({ ...arm, ips: 2, frames: { '0x10000000000': '' } })).toMatch(/above the 40-bit/);
  });
});
