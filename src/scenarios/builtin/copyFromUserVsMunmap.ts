import type { KeyMoment, ScenarioSpec, UaccessDesign } from '../../core/spec';

// Lesson 19 (docs/lessons.md; seeds 000 and 002): T0 is inside write(fd, buf, 32 KiB), copying
// its 8-page buffer into a file a page at a time, when T1 on another core unmaps the buffer's
// second half. One workload, three kernels (machine.uaccess):
//  - extable (Linux): the copy faults on the first unmapped page; the handler finds no VMA, and
//    since the fault came from the kernel it sends no signal but looks the copy instruction up in
//    the exception table (arch/x86/mm/extable.c) and resumes at its fixup. write returns the 16
//    KiB copied so far; a second write of the unmapped half returns -EFAULT. Only the program's
//    own access to it gets SIGSEGV.
//  - pin: write pins the 8 pages first (seed 000's counter; FOLL_PIN in Linux); munmap waits for
//    the pins, the copy completes, and the frames are freed only after the unpin and the flush.
//  - none: a copy routine with no exception-table entry: the unhandled kernel fault is an oops.
const BUF = 0x7f0000100000;
const at = (page: number) => `0x${(BUF + page * 4096).toString(16)}`;

const MOMENTS: Record<UaccessDesign, KeyMoment[]> = {
  extable: [
    { label: 'T0 enters write(3, buf, 32768)', event: 'syscall.enter', match: { name: 'write' } },
    {
      label: 'STAC: the copy window opens (EFLAGS.AC = 1)',
      event: 'uaccess.open',
      match: { fn: 'copy_from_user' },
    },
    { label: "T1's munmap removes the buffer's second half", event: 'vma.unmap' },
    { label: 'The copy faults in kernel mode (no U bit)', event: 'fault.raised', match: { errorCode: 0 } },
    {
      label: 'No VMA: the exception table has the copy instruction',
      event: 'extable.search',
      match: { found: true },
    },
    { label: 'Resume at the fixup, no signal', event: 'fault.resolved', match: { how: 'fixup' } },
    {
      label: 'write returns the short count: 16384 bytes',
      event: 'syscall.exit',
      match: { name: 'write', ret: 16384 },
    },
    {
      label: 'A write of the unmapped half returns -EFAULT',
      event: 'syscall.exit',
      match: { name: 'write', ret: -14 },
    },
    { label: "The program's own access gets SIGSEGV", event: 'signal', match: { code: 'SEGV_MAPERR' } },
  ],
  pin: [
    { label: 'T0 enters write(3, buf, 32768)', event: 'syscall.enter', match: { name: 'write' } },
    { label: 'write pins the buffer: a reference on each frame', event: 'uaccess.pin' },
    { label: 'munmap meets the pins and waits', event: 'munmap.wait' },
    { label: 'The copy completes: all 32768 bytes', event: 'uaccess.close', match: { notCopied: 0 } },
    { label: 'write drops its pins', event: 'uaccess.unpin' },
    { label: 'Only now does munmap go on', event: 'munmap.resume' },
    { label: 'write returns 32768', event: 'syscall.exit', match: { name: 'write', ret: 32768 } },
    { label: 'The frames are freed only now, after the flush', event: 'frame.free' },
    { label: 'munmap returns', event: 'syscall.exit', match: { name: 'munmap', ret: 0 } },
    {
      label: 'A write of the unmapped half returns -EFAULT',
      event: 'syscall.exit',
      match: { name: 'write', ret: -14 },
    },
  ],
  none: [
    { label: 'T0 enters write(3, buf, 32768)', event: 'syscall.enter', match: { name: 'write' } },
    { label: "T1's munmap removes the buffer's second half", event: 'vma.unmap' },
    { label: 'The copy faults in kernel mode (no U bit)', event: 'fault.raised', match: { errorCode: 0 } },
    { label: 'No exception-table entry for the copy', event: 'extable.search', match: { found: false } },
    { label: 'Kernel oops', event: 'oops' },
    { label: 'T0 dies in the kernel', event: 'thread.exit', match: { tid: 0 } },
  ],
};

const SUMMARY: Record<UaccessDesign, string> = {
  extable:
    "Linux's answer. T0 is in write(3, buf, 32768), copying its 8-page buffer a page at a time between STAC and CLAC, when T1 on core 1 unmaps pages 4-7. The copy reaches page 4: a not-present fault from kernel mode (error code 0: no U bit). The handler finds no VMA; a user fault would get SIGSEGV, but this one belongs to the kernel, so it searches the exception table for the faulting instruction (copy_user_generic+0x1c; the offset is illustrative), finds it and resumes at the fixup. The copy routine returns the bytes it did not copy, and write returns 16384, the bytes it did write. A second write of the unmapped half returns -EFAULT; the program reading that half itself gets SIGSEGV.",
  pin: "The seed-000 kernel's answer. write first pins every page of its buffer (a reference count on each frame, as get_user_pages with FOLL_PIN takes in Linux). T1's munmap finds pinned pages in its range and waits. The copy finishes all 32768 bytes; write unpins; only then does munmap detach the range, clear the PTEs, shoot down the TLBs and free the frames. (Linux's munmap would not wait: it unmaps at once, and the pinned frames outlive the mapping until unpinned.)",
  none: 'A kernel without an exception-table entry for its copy routine. T1 unmaps pages 4-7 under the copy; the copy faults in kernel mode on page 4, the handler finds no VMA and no entry for copy_user_generic+0x1c: an oops. T0 dies inside the kernel; a real kernel also prints the registers and a stack trace, and panics if panic_on_oops is set.',
};

function copyVsMunmap(design: UaccessDesign): ScenarioSpec {
  return {
    id: design === 'extable' ? 'copy-from-user-vs-munmap' : `copy-from-user-vs-munmap-${design}`,
    title:
      design === 'extable'
        ? 'copy_from_user vs munmap: the exception table'
        : design === 'pin'
          ? 'copy_from_user vs munmap: pinned pages'
          : 'copy_from_user vs munmap: no exception table (oops)',
    summary: SUMMARY[design],
    // Which panels this lesson is about (src/state/layout.ts applies it).
    layout: { dock: 'cores', emphasis: 'log' },
    seed: 1,
    machine: { cores: 2, frames: 96, tlb: { sets: 8, ways: 4 }, protocol: 'linux-x86', uaccess: design },
    processes: [
      {
        pid: 1,
        name: 'logger',
        vmas: [{ start: at(0), pages: 8, prot: 'rw', name: 'buf', populate: true }],
      },
    ],
    files: [{ fd: 3, name: 'log.txt' }],
    threads: [
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'signal', flag: 'go' },
          { op: 'sys_write', fd: 3, va: at(0), len: 8 * 4096 },
          { op: 'wait', flag: 'unmapped' },
          { op: 'sys_write', fd: 3, va: at(4), len: 4096 },
          { op: 'read', va: at(4) },
        ],
      },
      {
        tid: 1,
        pid: 1,
        core: 1,
        program: [
          { op: 'wait', flag: 'go' },
          { op: 'compute', cycles: 1000 },
          { op: 'munmap', va: at(4), pages: 4 },
          { op: 'signal', flag: 'unmapped' },
        ],
      },
    ],
    keyMoments: MOMENTS[design],
  };
}

export const copyFromUserExtable = copyVsMunmap('extable');
export const copyFromUserPin = copyVsMunmap('pin');
export const copyFromUserOops = copyVsMunmap('none');
