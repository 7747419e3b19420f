// The data half of a load or store once translation succeeded: one 32-bit word moves between the
// register and the frame, and `access.done` says where it went (shared by user and kernel accesses).
import type { Ctx } from '../engine/ctx';
import { readWord, writeWord } from '../mem/physmem';
import { paHex } from './emit';

export function moveWord(
  ctx: Ctx,
  tid: number,
  va: string,
  pfn: number,
  f: { off: number; kind: 'read' | 'write'; value: number },
): number {
  const word = f.off >>> 2;
  let value: number;
  if (f.kind === 'write') {
    writeWord(ctx.m.mem, pfn, word, f.value);
    value = f.value;
  } else {
    value = readWord(ctx.m.mem, pfn, word);
  }
  ctx.emit({ type: 'access.done', core: ctx.core.id, tid, va, pa: paHex(pfn, f.off), kind: f.kind, value });
  return value;
}
