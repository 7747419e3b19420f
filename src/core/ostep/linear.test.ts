import { describe, expect, it } from 'vitest';
import {
  convertSize,
  formatLinearSolution,
  type LinearProblem,
  linearGeometry,
  translateLinear,
} from './linear';

describe('linear page table', () => {
  it("converts sizes like the script's convert()", () => {
    expect([
      convertSize('16'),
      convertSize('4k'),
      convertSize('4K'),
      convertSize('1m'),
      convertSize('1g'),
    ]).toEqual([16, 4096, 4096, 1 << 20, 1 << 30]);
    expect(convertSize('4kb')).toBeNull();
    expect(convertSize('')).toBeNull();
  });

  it("rejects what the script rejects, with the script's messages", () => {
    const err = (a: string, p: string, P: string) => {
      const g = linearGeometry(a, p, P);
      return g.ok ? 'ok' : g.error;
    };
    expect(err('16k', '1', '4k')).toBe('Error: must specify a non-zero physical memory size.');
    expect(err('0', '64k', '4k')).toBe('Error: must specify a non-zero address-space size.');
    expect(err('64k', '64k', '4k')).toMatch(/GREATER than address space size/);
    expect(err('16k', '1g', '4k')).toBe(
      'Error: must use smaller sizes (less than 1 GB) for this simulation.',
    );
    expect(err('16k', '64k', '3k')).toBe(
      'Error in argument: address space must be a multiple of the pagesize',
    );
    expect(err('16k', '66k', '4k')).toBe(
      'Error in argument: physical memory must be a multiple of the pagesize',
    );
    expect(err('12k', '64k', '4k')).toBe('Error in argument: address space must be a power of 2');
    // The page-size check never fires: a page size dividing a power of two is one too.
    expect(err('12k', '48k', '3k')).toBe('Error in argument: address space must be a power of 2');
    expect(linearGeometry('16k', '64k', '1k')).toEqual({
      ok: true,
      value: { asize: 16384, psize: 65536, pageSize: 1024, vpages: 16, ppages: 64 },
    });
  });

  it('splits a VA into VPN and offset, and maps a valid VPN to its PFN', () => {
    const g = { asize: 4096, psize: 8192, pageSize: 1024, vpages: 4, ppages: 8 };
    const pt = [3, null, 0, 7];
    expect(translateLinear(g, pt, 0x0123)).toEqual({
      va: 0x123,
      vpn: 0,
      offset: 0x123,
      valid: true,
      pfn: 3,
      pa: 0xd23,
    });
    expect(translateLinear(g, pt, 0x0523)).toEqual({ va: 0x523, vpn: 1, offset: 0x123, valid: false });
    // The script masks the VA to 32 bits for the VPN, so 2**32 + 0x823 lands on VPN 2.
    expect(translateLinear(g, pt, 2 ** 32 + 0x823)).toMatchObject({ vpn: 2, valid: true, pa: 0x023 });
    // Past the table the script crashes (IndexError): no translation.
    expect(translateLinear(g, pt, 4096)).toBeNull();
  });

  it('prints the script wording for valid and invalid addresses', () => {
    const p: LinearProblem = {
      args: { seed: '0', asize: '4k', psize: '8k', pagesize: '1k', verbose: true, addresses: '291,1315' },
      geometry: { asize: 4096, psize: 8192, pageSize: 1024, vpages: 4, ppages: 8 },
      pageTable: [3, null, 0, 7],
      vas: [0x123, 0x523],
    };
    const r = formatLinearSolution(p);
    if (!r.ok) throw new Error(r.error);
    const lines = r.text.split('\n');
    expect(lines.slice(16, 20)).toEqual([
      '  [       0]  0x80000003',
      '  [       1]  0x00000000',
      '  [       2]  0x80000000',
      '  [       3]  0x80000007',
    ]);
    expect(lines.slice(21)).toEqual([
      'Virtual Address Trace',
      '  VA 0x00000123 (decimal:      291) --> 00000d23 (decimal     3363) [VPN 0]',
      '  VA 0x00000523 (decimal:     1315) -->  Invalid (VPN 1 not valid)',
      '',
      '',
    ]);
  });
});
