import { describe, expect, it } from 'vitest';
import { formatFragment, parseFragment } from './permalink';

describe('arch-compare permalinks', () => {
  it('round-trips the access and the step', () => {
    const link = {
      arch: 'compare' as const,
      va: '0xffffffc000201000',
      kind: 'fetch' as const,
      priv: 'kernel' as const,
      step: 3,
    };
    const text = formatFragment(link);
    expect(text).toBe('#arch=compare&va=0xffffffc000201000&kind=fetch&priv=kernel&step=3');
    expect(parseFragment(text)).toEqual({ ok: true, link });
  });

  it('fills in a read in user mode and lower-cases the VA', () => {
    expect(parseFragment('#arch=compare&va=0xABC')).toEqual({
      ok: true,
      link: { arch: 'compare', va: '0xabc', kind: 'read', priv: 'user', step: 0 },
    });
  });

  it.each([
    ['#arch=compare&va=0x12345678901234567', /VA "0x12345678901234567" is not a hex address/],
    ['#arch=compare&va=%3Cscript%3E', /VA "<script>"/],
    ['#arch=compare&va=0x10&kind=exec', /access kind "exec"/],
    ['#arch=compare&va=0x10&priv=root', /mode "root"/],
    ['#arch=compare&va=0x10&step=-1', /step "-1"/],
    ['#arch=other', /view "other" is not known/],
  ])('refuses %s and falls back to the default access', (hash, why) => {
    const r = parseFragment(hash);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(why);
    expect(r.link).toEqual({ arch: 'compare', va: '0x602010', kind: 'read', priv: 'user', step: 0 });
  });
});
