import { describe, expect, it } from 'vitest';
import { type Riscv64ImageInput, riscv64ImageSchema } from './riscv64';

const valid: Riscv64ImageInput = {
  arch: 'riscv64',
  mode: 'sv39',
  satp_ppn: '0x80200',
  asid: 0,
  sum: false,
  mxr: false,
  adue: true,
  frames: { '0x80200000': '0100' },
  accesses: [{ va: '0xFFFFFFC000001234', kind: 'read', priv: 'U' }],
};

describe('riscv64ImageSchema', () => {
  it('parses the documented shape into a Riscv64Image with bigints', () => {
    expect(riscv64ImageSchema.parse(valid)).toEqual({
      arch: 'riscv64',
      mode: 'sv39',
      satpPpn: 0x80200n,
      asid: 0,
      sum: false,
      mxr: false,
      adue: true,
      frames: { '0x80200000': '0100' },
      accesses: [{ va: 0xffffffc000001234n, kind: 'read', priv: 'U' }],
    });
  });

  it('accepts the bounds themselves', () => {
    const edge = {
      ...valid,
      mode: 'sv57',
      satp_ppn: '0xfffffffffff',
      asid: 65535,
      accesses: Array.from({ length: 4096 }, () => ({ va: '0xffffffffffffffff', kind: 'fetch', priv: 'S' })),
    };
    expect(riscv64ImageSchema.safeParse(edge).success).toBe(true);
  });

  it.each([
    ['satp_ppn of 2^44', { satp_ppn: '0x100000000000' }],
    ['satp_ppn without 0x', { satp_ppn: '80200' }],
    ['asid above 16 bits', { asid: 65536 }],
    ['a fractional asid', { asid: 1.5 }],
    ['an unknown mode', { mode: 'sv32' }],
    ['an unknown top-level key', { satp: '0x8000000000080200' }],
    ['a missing frames map', { frames: undefined }],
    ['a va of 17 hex digits', { accesses: [{ va: '0x10000000000000000', kind: 'read', priv: 'U' }] }],
    ['an unknown kind', { accesses: [{ va: '0x1000', kind: 'exec', priv: 'U' }] }],
    ['M-mode', { accesses: [{ va: '0x1000', kind: 'read', priv: 'M' }] }],
    ['an unknown access key', { accesses: [{ va: '0x1000', kind: 'read', priv: 'U', el: 0 }] }],
    [
      '4097 accesses',
      { accesses: Array.from({ length: 4097 }, () => ({ va: '0x0', kind: 'read', priv: 'U' })) },
    ],
    ['another arch', { arch: 'x86_64' }],
  ])('rejects %s', (_, over) => {
    expect(riscv64ImageSchema.safeParse({ ...valid, ...over }).success).toBe(false);
  });
});
