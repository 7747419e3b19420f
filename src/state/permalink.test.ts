import { describe, expect, it } from 'vitest';
import { COMPARE_PROTOCOLS, DEFAULT_COMPARE_PROTOCOLS } from '../worker/protocol';
import {
  DEFAULT_SCENARIO,
  formatFragment,
  MAX_COMPARE_FRAGMENT,
  MAX_FRAGMENT,
  type PolicyLink,
  parseFragment,
} from './permalink';

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

  it('reads and writes the page-replacement view', () => {
    const link: PolicyLink = { policy: 'belady', frames: 4, step: 6 };
    expect(formatFragment(link)).toBe('#policy=belady&frames=4&step=6');
    expect(parseFragment('#policy=belady&frames=4&step=6')).toEqual({ ok: true, link });
    expect(parseFragment('#policy=belady')).toEqual({
      ok: true,
      link: { policy: 'belady', frames: 3, step: 0 },
    });
    for (const [bad, says] of [
      ['#policy=belady&frames=9&step=2', /cache size "9"/],
      ['#policy=belady&frames=03', /cache size "03"/],
      ['#policy=nope&step=2', /reference string "nope"/],
      ['#policy=belady&frames=3&step=x', /step "x"/],
    ] as const) {
      const r = parseFragment(bad);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error).toMatch(says);
      expect(r.link).toEqual({ policy: 'belady', frames: 3, step: 0 });
    }
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

  it('reads and writes the OSTEP lesson link', () => {
    expect(parseFragment('#ostep=seed1&step=3')).toEqual({ ok: true, link: { ostep: 'seed1', step: 3 } });
    expect(parseFragment('#ostep=seed1')).toEqual({ ok: true, link: { ostep: 'seed1', step: 0 } });
    expect(formatFragment({ ostep: 'seed1', step: 12 })).toBe('#ostep=seed1&step=12');
    expect(formatFragment({ ostep: 'pasted', step: 2 })).toBe('#ostep=pasted&step=2');
  });

  it.each([
    ['#ostep=pasted&step=4', /pasted OSTEP problem is not stored in links/],
    ['#ostep=seed9&step=4', /OSTEP problem "seed9" is not built in/],
    ['#ostep=seed1&step=x', /step "x"/],
    ['#ostep=<b>&step=1', /"<b>"/],
  ])('falls back to the built-in OSTEP problem on %s', (hash, why) => {
    const r = parseFragment(hash);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(why);
    expect(r.error).toContain('built-in OSTEP problem (seed1) from step 0');
    expect(r.link).toEqual({ ostep: 'seed1', step: 0 });
  });

  it('reads and writes the machine-image link; a pasted image or a bad one falls back to the example', () => {
    expect(parseFragment('#image=example&step=2')).toEqual({ ok: true, link: { image: 'example', step: 2 } });
    expect(formatFragment({ image: 'pasted', step: 1 })).toBe('#image=pasted&step=1');
    for (const [hash, why] of [
      ['#image=pasted&step=1', /pasted machine image is not stored in links/],
      ['#image=mine&step=1', /machine image "mine" is not built in/],
      ['#image=example&step=1e3', /step "1e3"/],
    ] as const) {
      const r = parseFragment(hash);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error).toMatch(why);
      expect(r.link).toEqual({ image: 'example', step: 0 });
    }
  });
});

describe('the protocol comparison link', () => {
  it('reads the scenario and protocols, in the offered order, and writes them back', () => {
    const r = parseFragment('#compare=munmap-shootdown&protocols=amd-invlpgb,linux-x86,counter');
    expect(r).toEqual({
      ok: true,
      link: { compare: 'munmap-shootdown', protocols: ['linux-x86', 'counter', 'amd-invlpgb'] },
    });
    if (r.ok && r.link) {
      expect(formatFragment(r.link)).toBe(
        '#compare=munmap-shootdown&protocols=linux-x86,counter,amd-invlpgb',
      );
    }
  });

  it('takes the CLI short names, drops repeats, and defaults to the lesson protocols', () => {
    expect(parseFragment('#compare=protocol-compare&protocols=linux,arm,linux')).toEqual({
      ok: true,
      link: { compare: 'protocol-compare', protocols: ['linux-x86', 'arm-broadcast'] },
    });
    expect(parseFragment('#compare=protocol-compare')).toEqual({
      ok: true,
      link: { compare: 'protocol-compare', protocols: [...DEFAULT_COMPARE_PROTOCOLS] },
    });
  });

  it('fits every protocol in a link that opens again', () => {
    const link = { compare: 'protocol-compare', protocols: [...COMPARE_PROTOCOLS] };
    const f = formatFragment(link);
    expect(f.length).toBeGreaterThan(MAX_FRAGMENT);
    expect(f.length).toBeLessThanOrEqual(MAX_COMPARE_FRAGMENT);
    expect(parseFragment(f)).toEqual({ ok: true, link });
  });

  it.each([
    [
      'an unknown protocol',
      '#compare=protocol-compare&protocols=linux-x86,vax',
      /protocol "vax" is not known/,
    ],
    ['no protocol', '#compare=protocol-compare&protocols=', /names no protocol/],
    ['a bad scenario id', '#compare=Bad%20Id&protocols=counter', /scenario id "Bad Id" is not valid/],
    [
      'too many protocols',
      `#compare=protocol-compare&protocols=${Array(COMPARE_PROTOCOLS.length + 1)
        .fill('counter')
        .join(',')}`,
      new RegExp(`${COMPARE_PROTOCOLS.length + 1} protocols`),
    ],
    ['an over-long link', `#compare=protocol-compare&protocols=${'x'.repeat(400)}`, /longer than 320/],
    ['a bad encoding', '#compare=protocol-compare&protocols=%E0%A4%A', /not correctly encoded/],
  ])('refuses %s with a message, and says the current view can stay', (_what, fragment, says) => {
    const r = parseFragment(fragment);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(says);
    expect(r.error).toContain('Showing the default comparison (protocol-compare) instead');
    expect(r.kept).toMatch(says);
    expect(r.kept).toContain('The current view is still shown');
    expect(r.link).toEqual({ compare: 'protocol-compare', protocols: [...DEFAULT_COMPARE_PROTOCOLS] });
  });

  it('keeps the 200-character cap for other links', () => {
    const r = parseFragment(`#s=${'a'.repeat(250)}&step=1`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/longer than 200/);
  });
});
