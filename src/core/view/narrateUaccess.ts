// Narration for the kernel touching user memory: copy windows (STAC/CLAC), the exception table,
// oops, pins, the double fetch and fault-lock spinning. Plain, exact, and no more than the model does.
import type { SimEvent } from '../events';

type UaEvent = Extract<
  SimEvent,
  {
    type:
      | 'uaccess.open'
      | 'uaccess.copy'
      | 'uaccess.close'
      | 'extable.search'
      | 'oops'
      | 'uaccess.pin'
      | 'uaccess.unpin'
      | 'munmap.wait'
      | 'munmap.resume'
      | 'uaccess.fetch'
      | 'uaccess.check'
      | 'kernel.overflow'
      | 'lock.wait'
      | 'lock.acquire'
      | 'lock.release';
  }
>;

function lockLabel(name: string): string {
  return name.startsWith('page:')
    ? `the page lock of ${name.slice(5)}`
    : `the address-space spinlock (${name})`;
}

export function narrateUaccess(e: UaEvent): string {
  switch (e.type) {
    case 'uaccess.open':
      return `Core ${e.core} executes STAC (EFLAGS.AC = 1) and starts ${e.fn} on ${e.len} byte(s) at ${e.va}: with SMAP on, the kernel may touch user pages only inside this window.`;
    case 'uaccess.copy':
      return `${e.fn}: core ${e.core} moves ${e.bytes} bytes at ${e.va} (physical ${e.pa}) as a supervisor access through its own TLB and page tables; ${e.done} of ${e.len} done.`;
    case 'uaccess.close':
      return e.notCopied > 0
        ? `CLAC (EFLAGS.AC = 0): ${e.fn} returns ${e.notCopied}, the bytes it did not copy (${e.copied} made it).`
        : `CLAC (EFLAGS.AC = 0): ${e.fn} is done, all ${e.copied} bytes copied; user pages are out of the kernel's reach again.`;
    case 'extable.search':
      return e.found
        ? `A kernel-mode fault at ${e.va} that no VMA can satisfy: no signal, the fault is the kernel's. fixup_exception() finds ${e.ip} in the exception table; execution resumes at ${e.fixup}.`
        : `A kernel-mode fault at ${e.va} that no VMA can satisfy. fixup_exception() searches the exception table for ${e.ip} and finds no entry.`;
    case 'oops':
      return `Oops: "BUG: unable to handle page fault for address: ${e.va}" in ${e.ip} (error code ${e.errorCode}). The kernel kills T${e.tid} (make_task_dead) and goes on; a real kernel would also print registers and a stack trace, taint itself, and panic if panic_on_oops is set.`;
    case 'uaccess.pin':
      return `The syscall pins ${e.va}: frame ${e.pfn}'s reference count goes to ${e.refcount}, so it cannot be freed until the pin is dropped (like get_user_pages with FOLL_PIN).`;
    case 'uaccess.unpin':
      return `The syscall drops its ${e.pages} pin(s) (unpin_user_pages): frames ${e.pfns.join(', ')} are back to their mappings' references only.`;
    case 'munmap.wait':
      return `munmap on core ${e.core} finds pages of ${e.va} pinned by T${e.pinnedBy.join(', T')}: in this design it waits for the pins to go. (Linux's munmap would not wait: it unmaps at once and the pinned frames outlive the mapping until unpinned.)`;
    case 'munmap.resume':
      return `The pins are gone after ${e.waited} cycles: munmap on core ${e.core} detaches the range and goes on to clear the PTEs.`;
    case 'uaccess.fetch':
      return e.into === 'kernel-copy'
        ? `The kernel copies the header into its own memory once: len = ${e.value}. From now on it uses only this copy, which user space cannot change.`
        : e.into === 'check'
          ? `Fetch ${e.n}: the kernel reads len = ${e.value} from user memory at ${e.va}, to check it.`
          : `Fetch ${e.n}: the kernel reads len from user memory again, and gets ${e.value}: this is the value it will use, and it was never checked.`;
    case 'uaccess.check':
      return e.ok
        ? `The kernel checks len = ${e.value} <= ${e.limit}: fine, and it allocates a ${e.value * 4}-byte buffer for the data.`
        : `The kernel checks len = ${e.value} against its limit ${e.limit}: refused (-EINVAL).`;
    case 'kernel.overflow':
      return `Out of bounds: the buffer holds ${e.allocated} bytes (len ${e.checked}, checked) but the copy wrote ${e.written} (len ${e.used}, fetched again): ${e.over} bytes of whatever kernel object lies next are overwritten with user data.`;
    case 'lock.wait':
      return `Core ${e.core} needs ${lockLabel(e.lock)}, held by core ${e.holder}: it spins, ${e.queue} in line.`;
    case 'lock.acquire':
      return e.waited > 0
        ? `Core ${e.core} gets ${lockLabel(e.lock)} after spinning ${e.waited} cycles.`
        : `Core ${e.core} takes ${lockLabel(e.lock)} at once; nobody holds it.`;
    case 'lock.release':
      return `Core ${e.core} releases ${lockLabel(e.lock)} after holding it ${e.held} cycles${e.next >= 0 ? `; core ${e.next} is next` : ''}.`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}
