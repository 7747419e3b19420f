// A machine copy for a checkpoint or a restore: physical memory's frames are shared copy-on-write
// (forkPhysMem); everything else is copied. The copy and the original then step independently.
import { deepClone } from '../clone';
import type { Machine } from '../machine';
import { forkPhysMem } from '../mem/physmem';

export function cloneMachine(m: Machine): Machine {
  const mem = forkPhysMem(m.mem, deepClone);
  return deepClone(m, new Map<object, unknown>([[m.mem, mem]]));
}
