import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioList } from './index';

const hint = (id: string) => SCENARIOS.find((s) => s.id === id)?.layout;

describe("the built-in lessons' layout hints", () => {
  it('give the shootdown lessons the IPI tab, the COW, fork and swap ones the frames', () => {
    for (const id of ['munmap-shootdown', 'free-before-ack-bug', 'lazy-tlb', 'cpumask-race', 'arm-broadcast'])
      expect(hint(id)?.dock, id).toBe('ipi');
    for (const id of ['copy-on-write', 'swap-out-in', 'demand-zero'])
      expect(hint(id)?.dock, id).toBe('frames');
  });

  it('give the page-walk lessons a big tree and the TLB lessons big TLBs', () => {
    for (const id of ['walk-basics', 'huge-pages', 'recursive-mapping', 'kpti'])
      expect(hint(id)?.emphasis, id).toBe('pagetable');
    for (const id of ['tlb-hierarchy', 'walk-psc']) expect(hint(id)?.emphasis, id).toBe('tlb');
  });

  it('reach the browser with the scenario list', () => {
    const info = scenarioList().find((s) => s.id === 'swap-out-in');
    expect(info?.layout).toEqual(hint('swap-out-in'));
    expect(info?.layout?.dock).toBe('frames');
  });
});
