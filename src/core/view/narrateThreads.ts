// Narration for threads sharing an mm, exec, exit_mmap and mapped stacks (lesson mapped-stacks).
import type { SimEvent } from '../events';

type ThreadEvent = Extract<
  SimEvent,
  {
    type:
      | 'thread.clone'
      | 'mm.put'
      | 'mm.teardown'
      | 'mm.activate'
      | 'stack.expand'
      | 'stack.overflow'
      | 'stack.unmap.deferred'
      | 'stack.unmap'
      | 'thread.join'
      | 'value.check';
  }
>;

export function narrateThreads(e: ThreadEvent): string {
  switch (e.type) {
    case 'thread.clone':
      return `T${e.tid} clones T${e.child} with CLONE_VM|CLONE_THREAD: the new thread shares process ${e.pid}'s mm (same PML4, same VMAs, no page table copied). Its core joins mm_cpumask when it first loads the mm.`;
    case 'mm.put':
      return e.users > 0
        ? `T${e.tid} leaves process ${e.pid}'s mm (exit_mm, mmput): ${e.users} other thread${e.users > 1 ? 's still use' : ' still uses'} it, so nothing is unmapped.`
        : `T${e.tid} was the mm's last user (exit_mm, mmput): process ${e.pid}'s address space is torn down now (exit_mmap).`;
    case 'mm.teardown':
      return `exit_mmap${e.why === 'exec' ? ' of the old mm, left behind by execve,' : ''} on core ${e.core}: ${e.pages} mapped page${e.pages === 1 ? '' : 's'} to clear and ${e.tables} page-table page${e.tables === 1 ? '' : 's'} to free, all only after the whole mm is flushed from every TLB that may hold it.`;
    case 'mm.activate':
      return `execve loads the new mm on core ${e.core}: CR3 ${e.oldCr3} -> ${e.cr3} (exec_mmap, activate_mm). The new mm has its own context, so the TLB entries of the old one under this PCID are flushed.`;
    case 'stack.expand':
      return `A fault just below process ${e.pid}'s grows-down stack (VM_GROWSDOWN): instead of SIGSEGV the kernel extends the VMA from ${e.oldStart} down to ${e.start} (expand_stack); the access is then handled as a demand-zero fault.`;
    case 'stack.overflow':
      return `Stack overflow: T${e.tid} touched ${e.va}, the guard page ${e.guard} T${e.owner}'s stack ${e.start}-${e.end}. The guard is PROT_NONE, so the access faulted instead of writing into the neighbouring memory; T${e.tid} is stopped (as Zephyr aborts the faulting thread; Linux would send SIGSEGV to the whole process).`;
    case 'stack.unmap.deferred':
      return `T${e.tid} ended while running on its own stack ${e.start}-${e.end}: it cannot unmap the memory it is executing on, so the unmap is deferred until another thread can do it.`;
    case 'stack.unmap':
      return `T${e.by} unmaps T${e.tid}'s stack${e.guards ? ' and guard pages' : ''} ${e.start}-${e.end} for it (the deferred cleanup): an ordinary munmap, with the flush before any frame is freed.`;
    case 'thread.join':
      return `T${e.tid} joins T${e.target}: the thread has ended (its futex was woken at exit).`;
    case 'value.check':
      return e.ok
        ? `T${e.tid} reads back ${e.va}: ${e.value}, the value it saved there.`
        : `T${e.tid} reads back ${e.va} and gets ${e.value} (0x${e.value.toString(16)}), not the ${e.expected} it saved there: something else wrote into its memory.`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}
