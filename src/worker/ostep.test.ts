import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openOstep, type OstepSession, ostepEnd, ostepRunUntil, ostepSeek, ostepView } from './ostep';
import { OSTEP_BUILTIN_TEXT } from './ostepBuiltin';
import { MAX_PASTE_CHARS } from './protocol';

const fixture = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`../scenarios/ostep/fixtures/multilevel/${name}`, import.meta.url)),
    'utf8',
  );

function open(text?: string): OstepSession {
  const r = openOstep(text === undefined ? { kind: 'builtin', id: 'seed1' } : { kind: 'pasted', text }, 1);
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

describe('OSTEP multilevel lesson session', () => {
  it('embeds the seed 1 fixture byte for byte', () => {
    expect(OSTEP_BUILTIN_TEXT.seed1).toBe(fixture('seed1.problem.txt'));
  });

  it('starts at step 0 on the problem: the directory page at the PDBR, no address yet', () => {
    const v = ostepView(open());
    expect(v.step).toBe(0);
    expect(v.current).toBeNull();
    expect(v.problem).toMatchObject({ builtin: 'seed1', pasteSeq: null, pdbr: 17, vaCount: 10 });
    expect(v.pages.pd).toHaveLength(32);
    expect(v.pages.pt).toBeNull();
    expect(v.narration).toHaveLength(1);
    expect(v.narration[0]).toMatch(/10 virtual addresses.*page 17/);
    expect(v.answers.every((a) => a.state === 'todo' && a.result === null)).toBe(true);
  });

  it('walks the first address of seed 1 in four steps, as the solution says', () => {
    // Virtual Address 0x6c74: pde index 0x1b contents 0xa0 (pfn 0x20); pte index 0x3 contents 0xe1
    // (pfn 0x61); PA 0xc34, value 0x06.
    const s = open();
    ostepSeek(s, 1);
    let v = ostepView(s);
    expect(v.current).toMatchObject({
      n: 0,
      va: 0x6c74,
      phase: 'split',
      pdIndex: 0x1b,
      ptIndex: 3,
      offset: 0x14,
    });
    expect(v.current?.pde).toBeNull();
    expect(v.narration[0]).toBe(
      'VA 0x6c74 (1 of 10) splits into PD index 0x1b (27), PT index 0x3 (3) and offset 0x14 (20).',
    );
    ostepSeek(s, 2);
    v = ostepView(s);
    expect(v.current?.pde).toEqual({ index: 27, page: 17, value: 0xa0, valid: true, pfn: 0x20 });
    expect(v.narration[0]).toBe(
      'PDE index 0x1b → byte 27 of page 17 (PDBR): 0xa0, valid, PFN 0x20: the page table is in page 32.',
    );
    expect(v.pages.pd[27]).toBe(0xa0);
    ostepSeek(s, 3);
    v = ostepView(s);
    expect(v.current?.pte).toEqual({ index: 3, page: 32, value: 0xe1, valid: true, pfn: 0x61 });
    expect(v.pages.pt?.[3]).toBe(0xe1);
    expect(v.answers[0]?.state).toBe('now');
    ostepSeek(s, 4);
    v = ostepView(s);
    expect(v.current?.pa).toEqual({ pa: 0xc34, page: 97, byte: 20, value: 0x06 });
    expect(v.pages.data?.[20]).toBe(0x06);
    expect(v.narration[0]).toBe('PA = PFN 0x61 × 32 + offset 0x14 = 0xc34: byte 20 of page 97 holds 0x06.');
    expect(v.answers[0]).toMatchObject({ state: 'done', result: 'PA 0xc34, value 0x06', fault: false });
    expect(v.answers[1]?.state).toBe('todo');
  });

  it('stops a walk at an invalid entry with the script words, and Next fault finds it', () => {
    const s = open();
    ostepRunUntil(s, 'fault');
    const v = ostepView(s);
    // The fourth address, 0x69dc, has an invalid page-table entry.
    expect(v.current).toMatchObject({
      n: 3,
      va: 0x69dc,
      phase: 'pte',
      fault: 'Fault (page table entry not valid)',
    });
    expect(v.current?.pa).toBeNull();
    expect(v.narration[0]).toMatch(/not valid → Fault \(page table entry not valid\)\.$/);
    expect(v.answers[3]).toMatchObject({ state: 'done', fault: true });
    // 0x390e: the directory entry is invalid, two steps only.
    ostepRunUntil(s, 'fault');
    ostepRunUntil(s, 'fault');
    ostepRunUntil(s, 'fault');
    const w = ostepView(s);
    expect(w.current).toMatchObject({
      va: 0x390e,
      phase: 'pde',
      fault: 'Fault (page directory entry not valid)',
    });
    expect(w.current?.pte).toBeNull();
  });

  it('has one step per read: 2 for a PDE fault, 3 for a PTE fault, 4 for a translation', () => {
    const s = open();
    // seed 1: 5 translations, 4 PTE faults, 1 PDE fault.
    expect(ostepEnd(s)).toBe(5 * 4 + 4 * 3 + 2);
    expect(ostepView(s).keyMoments.map((k) => k.label)[0]).toBe('VA 0x6c74');
    ostepSeek(s, 10_000);
    expect(s.step).toBe(ostepEnd(s));
    expect(ostepView(s).answers.every((a) => a.state === 'done')).toBe(true);
    ostepSeek(s, -3);
    expect(s.step).toBe(0);
  });

  it('reads a pasted problem, and names the line of a bad one', () => {
    const s = open(fixture('seed2.problem.txt'));
    expect(ostepView(s).problem).toMatchObject({
      builtin: null,
      pasteSeq: 1,
      label: 'pasted problem (seed 2)',
    });
    const bad = fixture('seed2.problem.txt').replace('page   5:', 'page   5;');
    const r = openOstep({ kind: 'pasted', text: bad }, 2);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^line 10: expected "page {3}5:"/);
      expect(r.error.split('\n')).toHaveLength(1);
    }
    const huge = openOstep({ kind: 'pasted', text: 'x'.repeat(MAX_PASTE_CHARS + 1) }, 3);
    expect(huge).toEqual({ ok: false, error: expect.stringMatching(/limit/) });
  });
});
