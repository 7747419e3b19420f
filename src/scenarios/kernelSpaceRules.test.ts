import { describe, expect, it } from 'vitest';
import type { ScenarioSpec } from '../core/spec';
import { kernelHalfShared } from './builtin/kernelHalfShared';
import { kpti } from './builtin/kpti';
import { recursiveMapping } from './builtin/recursiveMapping';
import { parseScenario, validateScenario } from './schema';

const err = (s: unknown) => {
  const r = validateScenario(s);
  return r.ok ? 'ok' : r.error;
};

describe('kernel address-space options in the schema', () => {
  it('KPTI and the recursive slot need the kernel half', () => {
    const a = structuredClone(kpti) as ScenarioSpec;
    a.machine.kernelHalf = false;
    expect(err(a)).toBe('machine.kpti: needs machine.kernelHalf (KPTI isolates the kernel half)');
    const b = structuredClone(recursiveMapping) as ScenarioSpec;
    delete b.machine.kernelHalf;
    expect(err(b)).toMatch(/^machine\.recursiveSlot: needs machine\.kernelHalf/);
  });

  it('the recursive slot is a kernel-half slot other than 511', () => {
    for (const slot of [255, 511, 600, 1.5]) {
      const s = structuredClone(recursiveMapping) as ScenarioSpec;
      s.machine.recursiveSlot = slot;
      expect(err(s)).toMatch(/^machine\.recursiveSlot: /);
    }
    const ok = structuredClone(recursiveMapping) as ScenarioSpec;
    ok.machine.recursiveSlot = 256;
    expect(err(ok)).toBe('ok');
  });

  it('KPTI is modelled with linux-x86 only, and without vmalloc or vunmap', () => {
    const a = structuredClone(kpti) as ScenarioSpec;
    a.machine.protocol = 'arm-broadcast';
    expect(err(a)).toBe('machine.kpti: modelled with the linux-x86 protocol only, not arm-broadcast');
    const c = structuredClone(kpti) as ScenarioSpec;
    c.threads[0]?.program.unshift({ op: 'vmalloc', va: '0xffffffffc0000000', pages: 1 });
    expect(err(c)).toBe('threads.0.program.0: vmalloc is not modelled with machine.kpti');
  });

  it('vmalloc and vunmap map in the module area only, 1 to 64 pages', () => {
    const at = (va: string, pages = 1) => {
      const s = structuredClone(kernelHalfShared) as ScenarioSpec;
      s.threads[0]?.program.splice(2, 1, { op: 'vmalloc', va, pages });
      return err(s);
    };
    expect(at('0xffffffffc0000000')).toBe('ok');
    expect(at('0xffffffff81000000')).toMatch(/^threads\.0\.program\.2\.va: vmalloc maps in the module area/);
    expect(at('0x7f0000000000')).toMatch(/module area/);
    expect(at('0xffffffffc0000010')).toMatch(/page-aligned/);
    expect(at('0xfffffffffeffc000', 8)).toMatch(/module area/);
    expect(at('0xffffffffc0000000', 65)).toMatch(/^threads\.0\.program\.2\.pages: /);
  });

  it('kread takes va or entryOf, and entryOf needs the recursive slot', () => {
    const s = structuredClone(kernelHalfShared) as ScenarioSpec;
    s.threads[0]?.program.splice(1, 1, { op: 'kread', entryOf: '0x7f0000000000', level: 'pte' });
    expect(err(s)).toBe(
      'threads.0.program.1.entryOf: reading a paging entry by address needs machine.recursiveSlot',
    );
    const t = structuredClone(kernelHalfShared) as ScenarioSpec;
    t.threads[0]?.program.splice(1, 1, { op: 'kread' });
    expect(err(t)).toMatch(/either va or entryOf/);
    const u = structuredClone(recursiveMapping) as ScenarioSpec;
    u.threads[0]?.program.splice(1, 1, { op: 'kread', entryOf: '0x7f0000000000', level: 'pte5' as 'pte' });
    expect(err(u)).toMatch(/^threads\.0\.program\.1\.level: /);
  });

  it('pasted JSON with the new options goes through the same checks', () => {
    const text = JSON.stringify({ ...kpti, machine: { ...kpti.machine, kernelHalf: false } });
    const r = parseScenario(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^machine\.kpti/);
  });
});
