// `vmscope translate` as a user runs it: a real process, a file on disk, real exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-translate-'));
let files = 0;

function translate(image: unknown) {
  const path = join(dir, `image-${files++}.json`);
  writeFileSync(path, typeof image === 'string' ? image : JSON.stringify(image));
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'translate', path], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** One 8-byte little-endian entry at `index`, as frame hex. */
function entryHex(index: number, value: bigint): string {
  let hex = '00'.repeat(index * 8);
  for (let b = 0n; b < 8n; b++) hex += ((value >> (8n * b)) & 0xffn).toString(16).padStart(2, '0');
  return hex;
}

// VA 0x7f0000401123: PML4 254, PDPT 0, PD 2, PT 1, offset 0x123.
const image = {
  arch: 'x86_64',
  levels: 4,
  maxphyaddr: 40,
  cr3: '0x1000',
  cr0_wp: true,
  cr4_smep: false,
  cr4_smap: false,
  cr4_pge: true,
  efer_nxe: true,
  frames: {
    '0x1000': entryHex(254, 0x2007n),
    '0x2000': entryHex(0, 0x3007n),
    '0x3000': entryHex(2, 0x4007n),
    '0x4000': entryHex(1, 0x5005n), // user, read-only
  },
  accesses: [
    { va: '0x00007f0000401123', kind: 'read', cpl: 3, ac: false },
    { va: '0x00007f0000401123', kind: 'write', cpl: 3, ac: false },
    { va: '0x00807f0000401123', kind: 'read', cpl: 3, ac: false },
    { va: '0x00007f0000401123', kind: 'write', cpl: 0, ac: false },
  ],
};

describe('vmscope translate', () => {
  it('prints each access result and every named frame after the accesses', () => {
    const { code, out } = translate(image);
    expect(code).toBe(0);
    const r = JSON.parse(out) as { results: unknown[]; frames_after: Record<string, string> };
    expect(r.results).toEqual([
      { ok: true, pa: '0x5123' },
      { ok: false, vector: 14, error_code: 7, cr2: '0x7f0000401123' },
      { ok: false, vector: 13 },
      { ok: false, vector: 14, error_code: 3, cr2: '0x7f0000401123' },
    ]);
    expect(Object.keys(r.frames_after)).toEqual(['0x1000', '0x2000', '0x3000', '0x4000']);
    for (const hex of Object.values(r.frames_after)) expect(hex).toHaveLength(8192);
    // The first read set A (0x20) on all four entries; the faulting writes set no D.
    expect(r.frames_after['0x1000']?.slice(254 * 16, 254 * 16 + 4)).toBe('2720');
    expect(r.frames_after['0x4000']?.slice(16, 20)).toBe('2550');
  });

  it('rejects a bad image with one line naming the field, and exit code 1', () => {
    const { code, out, err } = translate({ ...image, maxphyaddr: 64 });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/maxphyaddr/);
    expect(translate('{"arch":').code).toBe(1);
  });

  it('reports a missing file and a usage error', () => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'translate', join(dir, 'nope.json')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ENOENT/);
    const u = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'translate'], { encoding: 'utf8' });
    expect(u.status).toBe(2);
  });
});
