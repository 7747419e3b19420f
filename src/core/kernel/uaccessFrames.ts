// The engine's entry to the uaccess lessons' frames: which step function runs each, and when a
// frame that waits (a munmap held by pins, a core spinning on a lock) can run again.
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { Core, Frame, Machine } from '../machine';
import { stepIoctl } from './doubleFetch';
import { lockReadyAt, stepFaultLock } from './faultLock';
import { pinwaitReady, stepPinwait } from './pin';
import { stepRw } from './syscallRw';

type UaFrame = Extract<Frame, { fn: 'rw' | 'ioctl' | 'pinwait' | 'faultlock' }>;

export function runUaccessFrame(ctx: Ctx, f: UaFrame): void {
  switch (f.fn) {
    case 'rw':
      return stepRw(ctx, f);
    case 'ioctl':
      return stepIoctl(ctx, f);
    case 'pinwait':
      return stepPinwait(ctx, f);
    case 'faultlock':
      return stepFaultLock(ctx, f);
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** When a waiting top frame may run (Infinity: not yet); null for frames that never wait. */
export function blockedUntil(m: Machine, core: Core, top: Frame): number | null {
  if (top.fn === 'pinwait') return pinwaitReady(m, core.now, top, threadOf(m, core.tid).pid);
  if (top.fn === 'faultlock') return lockReadyAt(m, core.id, core.now, top);
  return null;
}
