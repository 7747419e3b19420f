import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepClone } from '../clone';
import { createPhysMem, forkPhysMem, frameWords, readWord, writeWord } from './physmem';

describe('copy-on-write frames between a machine and its checkpoints', () => {
  it('shares the words until one side writes, then each sees only its own writes', () => {
    const a = createPhysMem(8);
    writeWord(a, 3, 5, 111);
    const b = forkPhysMem(a, deepClone);
    expect(b.frames[3]).toBe(a.frames[3]); // shared, not copied
    writeWord(a, 3, 5, 222);
    expect(readWord(a, 3, 5)).toBe(222);
    expect(readWord(b, 3, 5)).toBe(111);
    writeWord(b, 3, 6, 333);
    expect(readWord(a, 3, 6)).toBe(0);
    // A second fork of either side is independent again.
    const c = forkPhysMem(b, deepClone);
    writeWord(c, 3, 5, 444);
    expect([readWord(a, 3, 5), readWord(b, 3, 5), readWord(c, 3, 5)]).toEqual([222, 111, 444]);
  });

  it('copies a shared frame only once per side (later writes go in place)', () => {
    const a = createPhysMem(4);
    writeWord(a, 1, 0, 1);
    forkPhysMem(a, deepClone);
    const first = frameWords(a, 1);
    expect(frameWords(a, 1)).toBe(first);
  });

  it('behaves like full copies for any interleaving of writes and forks (property)', () => {
    type Cmd = { side: number; fork: boolean; pfn: number; word: number; value: number };
    const cmd = fc.record({
      side: fc.nat(3),
      fork: fc.boolean(),
      pfn: fc.nat(3),
      word: fc.nat(3),
      value: fc.nat(1000),
    });
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 60 }), (cmds: Cmd[]) => {
        const mems = [createPhysMem(4)];
        const model: number[][][] = [[0, 1, 2, 3].map(() => [0, 0, 0, 0])];
        for (const c of cmds) {
          const i = c.side % mems.length;
          const mem = mems[i];
          const mod = model[i];
          if (!mem || !mod) continue;
          if (c.fork && mems.length < 6) {
            mems.push(forkPhysMem(mem, deepClone));
            model.push(mod.map((f) => f.slice()));
          } else {
            writeWord(mem, c.pfn, c.word, c.value);
            (mod[c.pfn] as number[])[c.word] = c.value;
          }
        }
        mems.forEach((mem, i) => {
          for (let p = 0; p < 4; p++)
            for (let w = 0; w < 4; w++) expect(readWord(mem, p, w)).toBe(model[i]?.[p]?.[w]);
        });
      }),
    );
  });
});
