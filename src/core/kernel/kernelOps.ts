// The thread-program operations that make the kernel touch its own half: kread / kwrite (a system
// call reading or writing an address at CPL 0) and vmalloc / vunmap (the kernel mapping pages in
// the shared kernel tables). Building them from the scenario, and starting them on a core.
import type { Ctx } from '../engine/ctx';
import { parseHex } from '../hex';
import type { Op } from '../machine';
import type { OpSpec } from '../spec';
import { stepKmap } from './kernelMap';
import { stepKsys } from './ksys';
import { inModuleArea } from './kernelSpace';
import { selfMapVa } from './recursive';

function parts(va: bigint): { vpn: number; off: number } {
  return { vpn: Number((va >> 12n) & 0xfffffffffffffn), off: Number(va & 0xfffn) };
}

type KernelOpSpec = Extract<OpSpec, { op: 'kread' | 'kwrite' | 'vmalloc' | 'vunmap' }>;

export function buildKernelOp(o: KernelOpSpec, recursiveSlot: number | undefined): Op | string {
  switch (o.op) {
    case 'kread': {
      if (o.entryOf !== undefined) {
        const of = parseHex(o.entryOf);
        if (of === null) return `bad address ${o.entryOf}`;
        if (recursiveSlot === undefined) return 'entryOf needs machine.recursiveSlot';
        const level = o.level ?? 'pte';
        return {
          op: 'kread',
          ...parts(selfMapVa(of, recursiveSlot, level)),
          selfMap: { of: o.entryOf, level },
        };
      }
      const v = o.va === undefined ? null : parseHex(o.va);
      if (v === null) return `bad address ${o.va ?? '(none)'}`;
      return { op: 'kread', ...parts(v) };
    }
    case 'kwrite': {
      const v = parseHex(o.va);
      if (v === null) return `bad address ${o.va}`;
      return { op: 'kwrite', ...parts(v), value: o.value ?? 1 };
    }
    case 'vmalloc':
    case 'vunmap': {
      const v = parseHex(o.va);
      if (v === null) return `bad address ${o.va}`;
      if ((v & 0xfffn) !== 0n || !inModuleArea(v, o.pages))
        return `${o.op} needs a page-aligned range in the module area 0xffffffffa0000000-0xffffffffff000000`;
      return { op: o.op, vpn: parts(v).vpn, pages: o.pages };
    }
    default: {
      const never: never = o;
      return String(never);
    }
  }
}

/** Starts kread, kwrite, vmalloc or vunmap on the acting core (called from startNextOp). */
export function startKernelOp(
  ctx: Ctx,
  op: Extract<Op, { op: 'kread' | 'kwrite' | 'vmalloc' | 'vunmap' }>,
): void {
  const { core } = ctx;
  switch (op.op) {
    case 'kread':
    case 'kwrite': {
      const f = {
        fn: 'ksys' as const,
        phase: 'enter' as const,
        kind: op.op === 'kread' ? ('read' as const) : ('write' as const),
        vpn: op.vpn,
        off: op.off,
        value: op.op === 'kwrite' ? op.value : 0,
        ...(op.op === 'kread' && op.selfMap ? { selfMap: op.selfMap } : {}),
      };
      core.stack.push(f);
      stepKsys(ctx, f);
      return;
    }
    case 'vmalloc':
    case 'vunmap': {
      const f = {
        fn: 'kmap' as const,
        phase: 'enter' as const,
        unmap: op.op === 'vunmap',
        vpn: op.vpn,
        pages: op.pages,
        i: 0,
        frames: [],
        cleared: [],
      };
      core.stack.push(f);
      stepKmap(ctx, f);
      return;
    }
    default: {
      const never: never = op;
      return never;
    }
  }
}
