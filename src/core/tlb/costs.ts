// Cycles a translation costs by where it was found. The page walk after a miss is charged
// separately (src/core/costs.ts walkLevel per level), so `miss` is only the time spent probing the
// TLBs before the walk starts. Cited numbers carry their source; the rest say "assumed".

export interface TlbCostModel {
  /** Translation served by an L1 TLB (iTLB, dTLB or a unified L1). */
  l1Hit: number;
  /** L1 missed, the L2 (STLB) hit: the whole latency, L1 probe included. */
  l2Hit: number;
  /** Both levels missed: probe time before the walk begins. */
  miss: number;
}

/** Teaching preset: one cycle to look, whatever the outcome (assumed, for readable numbers). */
export const TEACHING_TLB_COSTS: TlbCostModel = { l1Hit: 1, l2Hit: 1, miss: 1 };

/**
 * Intel Skylake client. l1Hit: 1, as DEFAULT_COSTS.tlbHit (assumed; the dTLB is probed in parallel
 * with the L1D). l2Hit: 12, measured on Haswell ("L2 TLB latency 12 cycles", PC Watch 2013-06-21
 * p.15; domain-facts §7), assumed unchanged in Skylake. miss: 12, the STLB probe (assumed).
 */
export const SKYLAKE_TLB_COSTS: TlbCostModel = { l1Hit: 1, l2Hit: 12, miss: 12 };

/**
 * Arm Cortex-A76. l1Hit: "A hit in the data L1 TLB provides a single CLK cycle access" (Cortex-A76
 * TRM §A5.2.2). l2Hit: 1 + "Access to the L2 TLB usually takes three cycles" (TRM §A5.2.3) = 4.
 * miss: 4, the L2 probe (assumed).
 */
export const CORTEX_A76_TLB_COSTS: TlbCostModel = { l1Hit: 1, l2Hit: 4, miss: 4 };
