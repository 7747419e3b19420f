import { describe, expect, it } from 'vitest';
import { archEnd, archRunUntil, archSeek, archView, openArch } from './archCompare';

const open = (va: string, kind = 'read', priv = 'user') => {
  const r = openArch({ va, kind, priv } as Parameters<typeof openArch>[0]);
  if (!r.ok) throw new Error(r.error);
  return r.session;
};

describe('the arch-compare view', () => {
  it('shows the typed access at step 0 and the program after it', () => {
    const s = open('0x7f0000401123');
    let v = archView(s);
    expect(v.probe).toMatchObject({ label: 'Your access', va: '0x7f0000401123', kind: 'read' });
    expect(v.columns.map((c) => c.arch)).toEqual(['x86_64-4', 'x86_64-5', 'riscv64-sv39', 'arm64-4k']);
    // Sv39 cannot hold this user address; x86 and ARM read an empty top-level entry.
    expect(v.columns.map((c) => c.outcome.ok)).toEqual([false, false, false, false]);
    archSeek(s, 2);
    v = archView(s);
    expect(v.probe).toMatchObject({ va: '0x602010', kind: 'read', priv: 'user' });
    expect(v.program[1]?.state).toBe('now');
    expect(v.narration[1]).toMatch(/All four translate it to 0x2c010/);
    expect(v.input.va).toBe('0x7f0000401123'); // the typed access stays for step 0
  });

  it('marks the accesses that fault as key moments and runs to the next one', () => {
    const s = open('0x602010');
    const v = archView(s);
    expect(v.keyMoments.map((k) => k.step)).toEqual([4, 5, 6]);
    archRunUntil(s, 'fault');
    expect(s.step).toBe(4);
    archSeek(s, 99);
    expect(s.step).toBe(archEnd(s));
  });

  it('refuses a bad VA, kind or mode with the field named', () => {
    expect(openArch({ va: '0xzz', kind: 'read', priv: 'user' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^va: /),
    });
    expect(openArch({ va: '0x1', kind: 'exec' as 'read', priv: 'user' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^kind: /),
    });
    expect(openArch({ va: '0x1', kind: 'read', priv: 'root' as 'user' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^priv: /),
    });
  });
});
