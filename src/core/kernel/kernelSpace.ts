// Where the kernel's own mappings live in the model, and who owns them.

/** init_mm: the owner of the kernel's own page tables and pages in events and pending flushes. */
export const KERNEL_PID = -1;

/**
 * The module mapping space, vmalloc'd (Documentation/arch/x86/x86_64/mm.rst): inside PML4 slot 511,
 * so the model's shared kernel PDPT covers it. vmalloc / vunmap addresses must lie here.
 */
export const MODULES_VADDR = 0xffffffffa0000000n;
export const MODULES_END = 0xffffffffff000000n;

/** Is [va, va + pages pages) inside the module area? */
export function inModuleArea(va: bigint, pages: number): boolean {
  return va >= MODULES_VADDR && va + BigInt(pages) * 4096n <= MODULES_END;
}

/** TASK_SIZE_MAX on x86-64 with 4-level paging, in pages: (1 << 47) - PAGE_SIZE. */
export const TASK_SIZE_PAGES = 2 ** 35 - 1;

/**
 * do_vmi_munmap's check (mm/vma.c; earlier do_munmap in mm/mmap.c): "start > TASK_SIZE ||
 * len > TASK_SIZE - start" is -EINVAL, so user space cannot unmap the kernel half.
 */
export function beyondTaskSize(vpn: number, pages: number): boolean {
  return vpn > TASK_SIZE_PAGES || pages > TASK_SIZE_PAGES - vpn;
}
