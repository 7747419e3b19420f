import { describe, expect, it } from 'vitest';
import { type Arm64ImageInput, arm64ImageSchema } from './arm64';

const VALID: Arm64ImageInput = {
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
  frames: { '0x40080000': '03100840' },
  accesses: [{ va: '0xffff000000123456', kind: 'read', el: 0 }],
};

function withField(key: string, value: unknown): Record<string, unknown> {
  return { ...VALID, [key]: value };
}

describe('arm64ImageSchema', () => {
  it('accepts the documented shape and turns hex into bigints', () => {
    const r = arm64ImageSchema.parse(VALID);
    expect(r).toEqual({
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
      accesses: [{ va: 0xffff_0000_0012_3456n, kind: 'read', el: 0 }],
      frames: { '0x40080000': '03100840' },
    });
  });

  it('accepts the bounds', () => {
    expect(arm64ImageSchema.safeParse({ ...VALID, t0sz: 39, t1sz: 25, ips: 0, asid: 65535 }).success).toBe(
      true,
    );
    expect(arm64ImageSchema.safeParse({ ...VALID, ttbr0: '0xfffffffff000', accesses: [] }).success).toBe(
      true,
    );
    const many = Array.from({ length: 4096 }, () => ({ va: '0x0', kind: 'fetch', el: 1 }));
    expect(arm64ImageSchema.safeParse({ ...VALID, accesses: many }).success).toBe(true);
  });

  it.each([
    ['granule 64k', withField('granule', '64k')],
    ['t0sz 15', withField('t0sz', 15)],
    ['t1sz 40', withField('t1sz', 40)],
    ['t0sz not an integer', withField('t0sz', 16.5)],
    ['ips 6 (52-bit needs TCR.DS)', withField('ips', 6)],
    ['ips -1', withField('ips', -1)],
    ['ttbr0 not 4 KiB aligned', withField('ttbr0', '0x40080800')],
    ['ttbr1 at 2^48', withField('ttbr1', '0x1000000000000')],
    ['ttbr0 without 0x', withField('ttbr0', '40080000')],
    ['asid 65536', withField('asid', 65536)],
    ['arch x86_64', withField('arch', 'x86_64')],
    ['hafdbs as a string', withField('hafdbs', 'true')],
    ['an unknown key', withField('tbi', false)],
    ['frames missing', { ...VALID, frames: undefined }],
    ['va of 17 digits', withField('accesses', [{ va: '0x1ffff000000123456', kind: 'read', el: 0 }])],
    ['va not hex', withField('accesses', [{ va: '0xgg', kind: 'read', el: 0 }])],
    ['kind exec', withField('accesses', [{ va: '0x0', kind: 'exec', el: 0 }])],
    ['el 2', withField('accesses', [{ va: '0x0', kind: 'read', el: 2 }])],
    ['an unknown access key', withField('accesses', [{ va: '0x0', kind: 'read', el: 0, pan: true }])],
    [
      '4097 accesses',
      withField(
        'accesses',
        Array.from({ length: 4097 }, () => ({ va: '0x0', kind: 'read', el: 0 })),
      ),
    ],
  ])('rejects %s', (_name, input) => {
    expect(arm64ImageSchema.safeParse(input).success).toBe(false);
  });
});
