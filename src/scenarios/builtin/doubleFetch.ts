import type { KeyMoment, ScenarioSpec } from '../../core/spec';

// Lesson 20 (docs/lessons.md; seed 002): a syscall that checks a user value and then reads it
// again. T0 calls ioctl(fd, SEND, &msg) with msg = { len = 8, data[] }; the kernel allows at
// most 16 words. T1, on another core, rewrites msg.len to 64 while the kernel is between its
// check and its use. `double-fetch`: the kernel reads len from user memory a second time and
// copies 64 words into a 32-byte buffer. `double-fetch-fixed`: it copied the header into kernel
// memory once and checked that copy, so T1's change comes too late to matter.
const MSG = 0x7f0000200000;
const hex = (v: number) => `0x${v.toString(16)}`;

function doubleFetchSpec(fetch: 'twice' | 'once'): ScenarioSpec {
  const moments: KeyMoment[] =
    fetch === 'twice'
      ? [
          { label: 'T0 enters ioctl with msg.len = 8', event: 'syscall.enter', match: { name: 'ioctl' } },
          { label: 'Fetch 1: len = 8, for the check', event: 'uaccess.fetch', match: { n: 1, value: 8 } },
          { label: 'The check passes: 8 <= 16', event: 'uaccess.check', match: { ok: true } },
          { label: 'T1 rewrites msg.len to 64', event: 'access.done', match: { tid: 1, kind: 'write' } },
          { label: 'Fetch 2: len = 64, never checked', event: 'uaccess.fetch', match: { n: 2, value: 64 } },
          { label: 'The copy writes past the buffer', event: 'kernel.overflow' },
          {
            label: 'ioctl returns as if all was well',
            event: 'syscall.exit',
            match: { name: 'ioctl', ret: 256 },
          },
        ]
      : [
          { label: 'T0 enters ioctl with msg.len = 8', event: 'syscall.enter', match: { name: 'ioctl' } },
          {
            label: 'The header is copied into the kernel once',
            event: 'uaccess.fetch',
            match: { into: 'kernel-copy' },
          },
          { label: 'The copy is checked: 8 <= 16', event: 'uaccess.check', match: { ok: true } },
          {
            label: 'T1 rewrites msg.len to 64: too late',
            event: 'access.done',
            match: { tid: 1, kind: 'write' },
          },
          {
            label: 'The kernel copies the 8 words it checked',
            event: 'uaccess.close',
            match: { fn: 'copy_from_user', copied: 32 },
          },
          { label: 'ioctl returns 32 bytes', event: 'syscall.exit', match: { name: 'ioctl', ret: 32 } },
        ];
  return {
    id: fetch === 'twice' ? 'double-fetch' : 'double-fetch-fixed',
    title:
      fetch === 'twice'
        ? 'Double fetch: checked once, read twice'
        : 'Double fetch, fixed: copy once, check the copy',
    summary:
      fetch === 'twice'
        ? 'T0 calls ioctl(fd, SEND, &msg) with msg.len = 8; the kernel allows at most 16 words. It reads len from user memory (8), checks it, and allocates a 32-byte buffer. Meanwhile T1 on core 1 writes 64 into msg.len. The kernel then reads len from user memory again to size its copy: 64, a value no check has seen. It copies 256 bytes into the 32-byte buffer: 224 bytes of the neighbouring kernel object are overwritten with user data, and the ioctl returns as if nothing happened. Nothing faulted: the page tables and the MMU were never the problem, the second read was.'
        : 'The same race, with the fix: the kernel copies the header into its own memory once (copy_from_user into a kernel struct), checks len there, and uses only that copy. T1 still writes 64 into msg.len at the same moment, but the kernel never reads it again: it copies the 8 words it checked, and returns 32.',
    // Which panels this lesson is about (src/state/layout.ts applies it).
    layout: { dock: 'cores', emphasis: 'log' },
    seed: 1,
    machine: { cores: 2, frames: 64, tlb: { sets: 8, ways: 4 }, protocol: 'linux-x86' },
    processes: [
      {
        pid: 1,
        name: 'client',
        vmas: [{ start: hex(MSG), pages: 1, prot: 'rw', name: 'msg', populate: true }],
      },
    ],
    threads: [
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'write', va: hex(MSG), value: 8 },
          { op: 'signal', flag: 'ready' },
          { op: 'ioctl', va: hex(MSG), limit: 16, fetch },
        ],
      },
      {
        tid: 1,
        pid: 1,
        core: 1,
        program: [
          { op: 'wait', flag: 'ready' },
          { op: 'compute', cycles: 250 },
          { op: 'write', va: hex(MSG), value: 64 },
        ],
      },
    ],
    keyMoments: moments,
  };
}

export const doubleFetch = doubleFetchSpec('twice');
export const doubleFetchFixed = doubleFetchSpec('once');
