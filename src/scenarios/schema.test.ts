import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './index';
import { MAX_SCENARIO_BYTES, parseScenario, validateScenario } from './schema';
import { hugePages } from './builtin/hugePages';
import { munmapShootdown } from './builtin/munmapShootdown';

describe('scenario schema', () => {
  it('accepts every built-in scenario', () => {
    for (const s of SCENARIOS) expect(validateScenario(s)).toEqual({ ok: true, spec: s });
  });

  it('refuses oversized input before parsing it', () => {
    const r = parseScenario(' '.repeat(MAX_SCENARIO_BYTES + 1));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/limit/);
  });

  it('names the field that is wrong', () => {
    const bad = structuredClone(munmapShootdown) as unknown as { machine: { tlb: { sets: number } } };
    bad.machine.tlb.sets = 3;
    const r = validateScenario(bad);
    expect(r).toEqual({ ok: false, error: 'machine.tlb.sets: a power of two' });
    const r2 = parseScenario('{"id": "Bad Id"}');
    expect(!r2.ok && r2.error).toMatch(/^id: /);
    expect(parseScenario('{').ok).toBe(false);
  });

  it('refuses a thread on a core the machine does not have, or in a missing process', () => {
    const s = structuredClone(munmapShootdown);
    s.threads[0]!.core = 9;
    expect(validateScenario(s)).toEqual({ ok: false, error: 'threads.0.core: the machine has 4 cores' });
    const t = structuredClone(munmapShootdown);
    t.threads[0]!.pid = 77;
    expect(validateScenario(t)).toEqual({ ok: false, error: 'threads.0.pid: no process 77' });
  });

  it('refuses unaligned VMA starts and unknown operations', () => {
    const s = structuredClone(munmapShootdown);
    s.processes[0]!.vmas[0]!.start = '0x7f0000000010';
    expect(validateScenario(s).ok).toBe(false);
    const t = structuredClone(munmapShootdown) as unknown as { threads: { program: unknown[] }[] };
    t.threads[0]!.program.push({ op: 'format-disk' });
    expect(validateScenario(t).ok).toBe(false);
  });

  it('takes a TLB preset instead of sets and ways, with a clear error for anything else', () => {
    const withTlb = (tlb: unknown) => {
      const s = structuredClone(munmapShootdown) as unknown as { machine: { tlb: unknown } };
      s.machine.tlb = tlb;
      return validateScenario(s);
    };
    expect(withTlb({ preset: 'skylake' })).toMatchObject({
      ok: true,
      spec: { machine: { tlb: { preset: 'skylake' } } },
    });
    expect(withTlb({ preset: 'teaching' }).ok).toBe(true);
    expect(withTlb({ preset: 'cortex-a76' })).toEqual({
      ok: false,
      error:
        "machine.tlb.preset: 'cortex-a76' is an Arm core's TLB and the simulator models x86-64: use 'teaching' or 'skylake'",
    });
    expect(withTlb({ preset: 'zen4' })).toEqual({
      ok: false,
      error: "machine.tlb.preset: a TLB preset: 'teaching' or 'skylake'",
    });
    expect(withTlb({ preset: 'x'.repeat(41) }).ok).toBe(false);
    expect(withTlb({ preset: 'skylake', sets: 4, ways: 2 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^machine\.tlb: either a preset or sets and ways, not both/),
    });
    expect(withTlb({ sets: 4 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^machine\.tlb: sets and ways, or a preset/),
    });
  });

  it('bounds large-page VMAs and keeps their processes to what the model supports', () => {
    const tooMany = structuredClone(munmapShootdown);
    tooMany.processes[0]!.vmas[0]!.pages = 1 << 17;
    expect(validateScenario(tooMany)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/pages: at most 65536/),
    });
    const munmapHuge = structuredClone(hugePages);
    munmapHuge.threads[0]!.program.push({ op: 'munmap', va: '0x7f0000200000', pages: 1 });
    expect(validateScenario(munmapHuge)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^threads\.0\.program\.6: .*large-page/),
    });
    const forked = structuredClone(hugePages);
    forked.processes.push({ pid: 2, name: 'child', vmas: [], forkOf: 1 });
    expect(validateScenario(forked)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^processes\.1\.forkOf: /),
    });
  });
});
