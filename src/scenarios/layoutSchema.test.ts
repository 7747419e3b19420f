import { describe, expect, it } from 'vitest';
import { munmapShootdown } from './builtin/munmapShootdown';
import { validateScenario } from './schema';

/** The built-in lesson with its layout hint replaced by `layout`. */
function withLayout(layout: unknown) {
  return { ...structuredClone(munmapShootdown), layout };
}

describe("a scenario's layout hint", () => {
  it('is optional and kept when valid', () => {
    const { layout: _dropped, ...bare } = structuredClone(munmapShootdown);
    expect(validateScenario(bare).ok).toBe(true);
    const r = validateScenario(withLayout({ dock: 'frames', emphasis: 'tlb', collapsed: ['log'] }));
    expect(r.ok && r.spec.layout).toEqual({ dock: 'frames', emphasis: 'tlb', collapsed: ['log'] });
  });

  it('names the field that is wrong, in one line', () => {
    const error = (layout: unknown) => {
      const r = validateScenario(withLayout(layout));
      return r.ok ? null : r.error;
    };
    expect(error({ dock: 'tlb' })).toBe('layout.dock: one of ipi, cores, frames, stats');
    expect(error({ emphasis: 'bitslicer' })).toBe('layout.emphasis: one of pagetable, tlb, log, dock');
    expect(error({ collapsed: ['log', 'log'] })).toBe('layout.collapsed: each area at most once');
    expect(error({ collapsed: ['pagetable', 'tlb', 'log', 'dock'] })).toBe(
      'layout.collapsed: at least one area stays open',
    );
    expect(error({ emphasis: 'log', collapsed: ['log'] })).toBe(
      'layout.emphasis: the emphasised area cannot start collapsed',
    );
    // Strict: a misspelt key is an error, not silently dropped.
    expect(error({ dok: 'ipi' })).toMatch(/^layout: .*dok/);
    expect(error('ipi')).toMatch(/^layout: /);
  });
});
