// A scenario that cannot be built as declared is refused before it runs, naming the field.
import { describe, expect, it } from 'vitest';
import { createMachine } from '../core/kernel/build';
import type { ScenarioSpec } from '../core/spec';
import { mappedStacks } from './builtin/mappedStacks';
import { munmapShootdown } from './builtin/munmapShootdown';
import { validateScenario } from './schema';

const err = (s: unknown) => {
  const r = validateScenario(s);
  return r.ok ? 'ok' : r.error;
};

describe('scenarios refused before they run', () => {
  it('populated memory beyond machine.frames, naming the VMA that does not fit', () => {
    const s: ScenarioSpec = structuredClone(munmapShootdown);
    s.machine.frames = 16;
    s.processes[0]!.vmas.push({ start: '0x7f0000100000', pages: 20, prot: 'rw', populate: true });
    expect(err(s)).toMatch(
      /^processes\.0\.vmas\.2\.populate: the populated pages and their page tables need at least \d+ frames; machine\.frames is 16$/,
    );
    // The same VMA unpopulated costs nothing up front: accepted, and the builder agrees.
    s.processes[0]!.vmas[2]!.populate = false;
    expect(err(s)).toBe('ok');
    expect(createMachine(s).ok).toBe(true);
  });

  it('the frame estimate is a lower bound: a scenario it accepts never hides a shortfall the builder finds first', () => {
    let refused = 0;
    let accepted = 0;
    for (let frames = 16; frames <= 40; frames++) {
      const s: ScenarioSpec = structuredClone(munmapShootdown);
      s.machine.frames = frames;
      s.processes[0]!.vmas.push({ start: '0x7f0000100000', pages: 12, prot: 'rw', populate: true });
      const built = createMachine(s).ok;
      // Refused by the check only if the builder would have failed too.
      if (err(s) !== 'ok') {
        refused++;
        expect(built).toBe(false);
      } else if (built) accepted++;
    }
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
  });

  it('more threads than the schema allows, and a thread on a missing core', () => {
    const s: ScenarioSpec = structuredClone(munmapShootdown);
    s.threads = Array.from({ length: 257 }, (_, i) => ({ tid: i, pid: 1, core: 0, program: [] }));
    expect(err(s)).toMatch(/^threads: /);
    const c: ScenarioSpec = structuredClone(munmapShootdown);
    c.threads[1]!.core = 4;
    expect(err(c)).toBe('threads.1.core: the machine has 4 cores');
  });

  it('a tid or pid used twice', () => {
    const s: ScenarioSpec = structuredClone(munmapShootdown);
    s.threads[1]!.tid = s.threads[0]!.tid;
    expect(err(s)).toBe(`threads.1.tid: thread ${s.threads[0]!.tid} is declared twice`);
    const p: ScenarioSpec = structuredClone(munmapShootdown);
    p.processes.push({ ...structuredClone(p.processes[0]!) });
    expect(err(p)).toBe(`processes.${p.processes.length - 1}.pid: process 1 is declared twice`);
  });

  it('clone, join and recurse without what they need', () => {
    const noCloned: ScenarioSpec = structuredClone(mappedStacks);
    noCloned.threads[1]!.cloned = false;
    expect(err(noCloned)).toBe(
      'threads.0.program.1.tid: thread 1 must be declared in process 1 with cloned: true',
    );
    const orphan: ScenarioSpec = structuredClone(mappedStacks);
    orphan.threads[0]!.program = orphan.threads[0]!.program.filter((o) => o.op !== 'clone' || o.tid !== 2);
    expect(err(orphan)).toBe('threads.2.cloned: no thread of process 1 clones it');
    const selfJoin: ScenarioSpec = structuredClone(mappedStacks);
    selfJoin.threads[0]!.program[2] = { op: 'join', tid: 0 };
    expect(err(selfJoin)).toBe('threads.0.program.2.tid: thread 0 is not another thread of process 1');
    const noStack: ScenarioSpec = structuredClone(mappedStacks);
    delete noStack.threads[1]!.stack;
    expect(err(noStack)).toBe(
      'threads.1.program.1: recurse needs threads.1.stack (the calls push their frames there)',
    );
  });

  it('stacks that overlap each other or a VMA, guard pages included', () => {
    const s: ScenarioSpec = structuredClone(mappedStacks);
    // T2's upper guard (0x7f0000003000) would be T1's lower guard.
    s.threads[1]!.stack!.va = '0x7f0000004000';
    expect(err(s)).toBe('threads.2.stack: overlaps threads.1.stack (guard pages included)');
    const v: ScenarioSpec = structuredClone(mappedStacks);
    v.processes[0]!.vmas.push({ start: '0x7f0000007000', pages: 1, prot: 'rw' });
    expect(err(v)).toBe('threads.1.stack: overlaps processes.0.vmas.0 (guard pages included)');
  });

  it('zero and negative syscall lengths pass the schema: the kernel refuses them at run time', () => {
    const s: ScenarioSpec = structuredClone(munmapShootdown);
    s.threads[0]!.program.push(
      { op: 'munmap', va: '0x7f0000001000', pages: -1 },
      { op: 'mmap', va: '0x1000', pages: 0, prot: 'r' },
    );
    expect(err(s)).toBe('ok');
  });
});
