import { describe, expect, it } from 'vitest';
import { type ImageSession, imageEnd, imageRunUntil, imageSeek, imageView, openImage } from './image';
import { EXAMPLE_IMAGE_TEXT } from './imageBuiltin';

function open(text?: string): ImageSession {
  const r = openImage(text === undefined ? { kind: 'builtin', id: 'example' } : { kind: 'pasted', text }, 7);
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

describe('machine-image view session', () => {
  it('runs the example as vmscope translate does, and reveals one access per step', () => {
    const s = open();
    expect(imageEnd(s)).toBe(4);
    let v = imageView(s);
    expect(v.input).toMatchObject({ builtin: 'example', pasteSeq: null, frames: 4 });
    expect(v.input.regime).toBe(
      'x86-64, 4-level paging · CR3 0x1000 · MAXPHYADDR 40 · WP=1 SMEP=0 SMAP=0 NXE=1',
    );
    expect(v.accesses.every((a) => a.state === 'todo' && a.summary === null)).toBe(true);
    expect(v.narration[0]).toMatch(/4 frames and 4 accesses/);
    imageSeek(s, 1);
    v = imageView(s);
    expect(v.accesses[0]).toMatchObject({
      state: 'now',
      ok: true,
      va: '0x7f0000401123',
      what: 'user read (CPL 3)',
      summary: 'PA 0x5123',
      json: '{"ok":true,"pa":"0x5123"}',
    });
    expect(v.narration[0]).toBe('Access 1 of 4: user read (CPL 3) of 0x7f0000401123 → PA 0x5123.');
    imageSeek(s, 4);
    v = imageView(s);
    expect(v.accesses.map((a) => a.json)).toEqual([
      '{"ok":true,"pa":"0x5123"}',
      '{"ok":false,"vector":14,"error_code":7,"cr2":"0x7f0000401123"}',
      '{"ok":false,"vector":13}',
      '{"ok":false,"vector":14,"error_code":3,"cr2":"0x7f0000401123"}',
    ]);
    expect(v.accesses[1]?.summary).toBe('#PF (protection), error code 0x7 = P W U, CR2 0x7f0000401123');
    expect(v.accesses[2]?.summary).toBe('#GP: the address is not canonical');
  });

  it('Next fault stops at the first faulting access', () => {
    const s = open();
    imageRunUntil(s, 'fault');
    expect(s.step).toBe(2);
    expect(imageView(s).accesses[1]).toMatchObject({ state: 'now', ok: false });
  });

  it('reads a pasted image, and refuses bad JSON or a bad field with one line', () => {
    const s = open(EXAMPLE_IMAGE_TEXT);
    expect(imageView(s).input).toMatchObject({ builtin: null, pasteSeq: 7, label: 'pasted x86_64 image' });
    const bad = openImage({ kind: 'pasted', text: '{"arch": ' }, 8);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^not JSON/);
    const field = openImage(
      { kind: 'pasted', text: EXAMPLE_IMAGE_TEXT.replace('"maxphyaddr": 40', '"maxphyaddr": 64') },
      9,
    );
    expect(field.ok).toBe(false);
    if (!field.ok) {
      expect(field.error).toMatch(/^maxphyaddr/);
      expect(field.error.split('\n')).toHaveLength(1);
    }
  });
});
