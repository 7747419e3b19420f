import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, formatFragment, parseFragment } from './permalink';

describe('permalink v0', () => {
  it('reads a good fragment', () => {
    expect(parseFragment('#s=munmap-shootdown&step=25')).toEqual({
      ok: true,
      link: { scenarioId: 'munmap-shootdown', step: 25 },
    });
    expect(parseFragment('s=lazy-tlb')).toEqual({ ok: true, link: { scenarioId: 'lazy-tlb', step: 0 } });
  });

  it('treats an empty fragment as "the default, no message"', () => {
    expect(parseFragment('')).toEqual({ ok: true, link: null });
    expect(parseFragment('#')).toEqual({ ok: true, link: null });
  });

  it('round-trips', () => {
    const link = { scenarioId: 'cpumask-race', step: 7 };
    expect(parseFragment(formatFragment(link))).toEqual({ ok: true, link });
  });

  it.each([
    ['#s=nope&step=abc', /step "abc"/],
    ['#s=nope&step=-1', /step "-1"/],
    ['#s=nope&step=1.5', /step "1.5"/],
    ['#s=x&step=1000001', /step "1000001"/],
    ['#s=Bad_Id&step=1', /scenario id "Bad_Id"/],
    ['#s=&step=1', /scenario id ""/],
    ['#step=3', /names no scenario/],
    ['#s=%E0%A4%A&step=1', /not correctly encoded/],
    [`#s=${'a'.repeat(250)}`, /longer than 200/],
    ['#s=<script>alert(1)</script>', /not valid/],
  ])('falls back to the default on %s', (hash, why) => {
    const r = parseFragment(hash);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(why);
    expect(r.error).toContain(DEFAULT_SCENARIO);
    expect(r.link).toEqual({ scenarioId: DEFAULT_SCENARIO, step: 0 });
  });

  it('quotes untrusted input short and printable', () => {
    const r = parseFragment(`#s=munmap-shootdown&step=${'9'.repeat(8)}\u0000`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeLessThan(200);
  });
});
