// The cost model: cycles charged for each step. Numbers with a source are cited; the rest are
// stated assumptions of the right order of magnitude, shown as such in the docs and narration.
// Clock assumed: 2.5 GHz (so 1 ns = 2.5 cycles).

export interface CostModel {
  /** Data access that hits the L1 dTLB: the translation is free, the access is an L1 hit. */
  tlbHit: number;
  /** Each paging-structure read of a walk. Haswell measurements put a whole STLB-miss walk that
   * hits the caches at about 20 cycles (PC Watch, 2013): 5 per level of a 4-level walk. */
  walkLevel: number;
  /** Enter and leave the kernel for a page fault or a syscall (assumption). */
  kernelEntry: number;
  /** Zero or copy a 4 KiB frame (assumption: about 1 cycle per 4 bytes). */
  zeroFrame: number;
  /** One INVLPG. Linux arch/x86/mm/tlb.c: "Each single flush is about 100 ns". */
  invlpg: number;
  /** MOV to CR3 (a full non-global flush); its real cost is the refills afterwards (assumption). */
  fullFlush: number;
  /** Writing one page-table entry (assumption). */
  pteWrite: number;
  /** Sending an IPI from the initiator (APIC ICR write; assumption). */
  ipiSend: number;
  /** From send to the target taking the interrupt. Secondary sources only (about 1 us). */
  ipiLatency: number;
  /** Interrupt entry plus the flush_tlb_func bookkeeping on the target (assumption). */
  ipiHandler: number;
  /** A context switch with CR3 load (assumption). */
  contextSwitch: number;
  /** AMD INVLPGB, per page issued (assumption: no primary figure found). */
  invlpgbPerPage: number;
  /** TLBSYNC: until every broadcast invalidation has completed (assumption). */
  tlbsync: number;
  /** ARM64 DSB ISHST before the TLBIs: drain the PTE stores (assumption: no primary figure found). */
  dsbIshst: number;
  /** ARM64 TLBI ...IS, per instruction issued; the broadcast itself is paid in DSB ISH (assumption,
   * the INVLPGB figure: domain-facts §7 has no ARM number). */
  tlbiIs: number;
  /** ARM64 DSB ISH after broadcast TLBIs: until every core of the Inner Shareable domain has
   * completed them (assumption, the TLBSYNC figure; independent of the core count here). */
  dsbIsh: number;
  /** RISC-V ecall into the SBI firmware and back (trap to M-mode, dispatch; assumption). */
  sbiEcall: number;
  /** RISC-V M-mode software-interrupt entry, fence queue and mret on a target hart (assumption). */
  sbiHandler: number;
  /** RISC-V SFENCE.VMA of one page (assumption: the INVLPG figure; no RISC-V figure found). */
  sfenceVma: number;
  /** RISC-V SFENCE.VMA x0, asid: the whole ASID (assumption, like fullFlush). */
  sfenceVmaAsid: number;
  /** Bookkeeping steps (find a VMA, take a lock, set a flag). */
  small: number;
  /** Read one 4 KiB page from the swap device: 20 us, the low end of "NVMe SSDs achieve 20-100
   * microseconds" (Pure Storage, "What is NVMe?"; a vendor page, not a measurement here). */
  swapRead: number;
  /** Write one 4 KiB page to the swap device: 30 us (assumption: NVMe writes are quoted a little
   * slower than reads; same secondary sources). The model charges it to the reclaiming core. */
  swapWrite: number;
}

export const DEFAULT_COSTS: CostModel = {
  tlbHit: 1,
  walkLevel: 5,
  kernelEntry: 150,
  zeroFrame: 1000,
  invlpg: 250,
  fullFlush: 300,
  pteWrite: 10,
  ipiSend: 100,
  ipiLatency: 2500,
  ipiHandler: 400,
  contextSwitch: 500,
  invlpgbPerPage: 100,
  tlbsync: 800,
  dsbIshst: 30,
  tlbiIs: 100,
  dsbIsh: 800,
  sbiEcall: 300,
  sbiHandler: 300,
  sfenceVma: 250,
  sfenceVmaAsid: 300,
  small: 20,
  swapRead: 50_000,
  swapWrite: 75_000,
};

/** Linux's tlb_single_page_flush_ceiling (arch/x86/mm/tlb.c): above it, a full flush. */
export const FLUSH_CEILING_PAGES = 33;

/**
 * arm64's MAX_TLBI_OPS = PTRS_PER_PTE (512 with 4 KiB pages; called MAX_DVM_OPS before): from
 * this many pages, __flush_tlb_range does flush_tlb_mm (TLBI ASIDE1IS) instead
 * (arch/arm64/include/asm/tlbflush.h, without range TLBI).
 */
export const ARM64_MAX_TLBI_OPS = 512;

/** RISC-V tlb_flush_all_threshold (arch/riscv/mm/tlbflush.c): above it, flush the whole ASID. */
export const RISCV_FLUSH_ALL_THRESHOLD = 64;
