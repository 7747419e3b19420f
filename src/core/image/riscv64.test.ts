import { describe, expect, it } from 'vitest';
import { encodePte } from '../arch/riscv64/pte';
import { type Riscv64Image, runRiscv64Image } from './riscv64';
import { frameToHex, type ImageFrames, readQword, writeQword } from './types';

// Sv39 at satp.PPN 0x80200 mapping:
//   0x0000_0000_0040_0000 (vpn 0/2/0) -> 4 KiB page 0x80400, user R W, A=1 D=0
//   0xffff_ffc0_0000_0000 (vpn 0x100)  -> 1 GiB superpage at PA 0x80000000, supervisor R X, A=0
const ROOT = 0x80200;
const L1 = 0x80201;
const L0 = 0x80202;

function frames(): ImageFrames {
  const f: ImageFrames = new Map();
  writeQword(f, ROOT, 0 * 8, encodePte({ ppn: BigInt(L1) }));
  writeQword(f, L1, 2 * 8, encodePte({ ppn: BigInt(L0) }));
  writeQword(f, L0, 0 * 8, encodePte({ ppn: 0x80400n, u: true, r: true, w: true, a: true }));
  writeQword(f, ROOT, 0x100 * 8, encodePte({ ppn: 0x80000n, r: true, x: true }));
  return f;
}

const image = (over: Partial<Riscv64Image>): Riscv64Image => ({
  arch: 'riscv64',
  mode: 'sv39',
  satpPpn: BigInt(ROOT),
  asid: 0,
  sum: false,
  mxr: false,
  adue: true,
  accesses: [],
  ...over,
});

describe('runRiscv64Image', () => {
  it('runs accesses in order and keeps Svadu updates in memory', () => {
    const f = frames();
    const results = runRiscv64Image(
      image({
        accesses: [
          { va: 0x400abcn, kind: 'read', priv: 'U' },
          { va: 0x400abcn, kind: 'write', priv: 'U' },
          { va: 0xffffffc000001234n, kind: 'fetch', priv: 'S' },
          { va: 0xffffffc000001234n, kind: 'fetch', priv: 'U' },
          { va: 0x400abcn, kind: 'read', priv: 'S' },
          { va: 0x4000000000n, kind: 'read', priv: 'S' },
        ],
      }),
      f,
    );
    expect(JSON.stringify(results)).toBe(
      JSON.stringify([
        { ok: true, pa: '0x80400abc' },
        { ok: true, pa: '0x80400abc' },
        { ok: true, pa: '0x80001234' },
        { ok: false, cause: 12, tval: '0xffffffc000001234' },
        { ok: false, cause: 13, tval: '0x400abc' }, // S-mode, U page, SUM=0
        { ok: false, cause: 13, tval: '0x4000000000' }, // not sign-extended
      ]),
    );
    // The write set D on the 4 KiB leaf; the fetch set A on the 1 GiB leaf.
    expect(readQword(f, L0, 0)).toBe(
      encodePte({ ppn: 0x80400n, u: true, r: true, w: true, a: true, d: true }),
    );
    expect(readQword(f, ROOT, 0x800)).toBe(encodePte({ ppn: 0x80000n, r: true, x: true, a: true }));
  });

  it('with Svade a missing A or D is a fault and memory stays as it was', () => {
    const f = frames();
    const before = [...f].map(([k, w]) => [k, frameToHex(w)]);
    const results = runRiscv64Image(
      image({
        adue: false,
        sum: true,
        accesses: [
          { va: 0x400abcn, kind: 'read', priv: 'S' },
          { va: 0x400abcn, kind: 'write', priv: 'S' },
          { va: 0xffffffc000001234n, kind: 'read', priv: 'S' },
        ],
      }),
      f,
    );
    expect(results).toEqual([
      { ok: true, pa: '0x80400abc' },
      { ok: false, cause: 15, tval: '0x400abc' },
      { ok: false, cause: 13, tval: '0xffffffc000001234' },
    ]);
    expect([...f].map(([k, w]) => [k, frameToHex(w)])).toEqual(before);
  });

  it('MXR lets a load read an execute-only page', () => {
    const f = frames();
    writeQword(f, ROOT, 0x100 * 8, encodePte({ ppn: 0x80000n, x: true, a: true }));
    const acc = [{ va: 0xffffffc000000010n, kind: 'read' as const, priv: 'S' as const }];
    expect(runRiscv64Image(image({ accesses: acc }), f)).toEqual([
      { ok: false, cause: 13, tval: '0xffffffc000000010' },
    ]);
    expect(runRiscv64Image(image({ mxr: true, accesses: acc }), f)).toEqual([{ ok: true, pa: '0x80000010' }]);
  });
});
