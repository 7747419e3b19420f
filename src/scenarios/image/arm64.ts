// The schema of an arm64 machine image (docs/machine-image.md, "ARM64"), checked before the
// runner sees it: hex strings become bigints, and the bounds keep a hostile file small and the
// walker inside the configurations it models (4 KiB granule, TxSZ 16..39, IPS up to 48 bits).
// `frames` is only checked to be a map of strings here; its keys and hex are validated where the
// frames are parsed, and it is passed through untouched for that.
import { z } from 'zod';
import type { Arm64Image } from '../../core/image/arm64';

export const MAX_ARM64_ACCESSES = 4096;

/** A hex string of 1 to 16 digits with a 0x prefix, as a bigint. */
const hex64 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{1,16}$/, 'a hex string like 0x40080000 (at most 16 digits)')
  .transform((s) => BigInt(s));

/** A translation-table base: 4 KiB aligned and inside the 48-bit output-address field. */
const tableBase = hex64.pipe(
  z
    .bigint()
    .lt(1n << 48n, 'a table base must be below 2^48')
    .refine((v) => (v & 0xfffn) === 0n, 'a table base must be 4 KiB aligned (end in 000)'),
);

/** TxSZ range for the 4 KiB granule without FEAT_LVA/FEAT_TTST: 16 (48-bit VA) to 39 (25-bit VA). */
const txsz = z.number().int().min(16).max(39);

const access = z
  .object({
    va: hex64,
    kind: z.enum(['read', 'write', 'fetch']),
    el: z.union([z.literal(0), z.literal(1)]),
  })
  .strict();

export const arm64ImageSchema = z
  .object({
    arch: z.literal('arm64'),
    granule: z.literal('4k'),
    t0sz: txsz,
    t1sz: txsz,
    ttbr0: tableBase,
    ttbr1: tableBase,
    asid: z.number().int().min(0).max(0xffff),
    hafdbs: z.boolean(),
    pan: z.boolean(),
    wxn: z.boolean(),
    // 0..5 = 32, 36, 40, 42, 44, 48 bits. 6 (52 bits) needs TCR_EL1.DS with a 4 KiB granule,
    // which is not modelled.
    ips: z.number().int().min(0).max(5),
    frames: z.record(z.string(), z.string()),
    accesses: z.array(access).max(MAX_ARM64_ACCESSES),
  })
  .strict()
  .transform((j): Arm64Image & { frames: Record<string, string> } => ({
    arch: j.arch,
    t0sz: j.t0sz,
    t1sz: j.t1sz,
    ttbr0: j.ttbr0,
    ttbr1: j.ttbr1,
    asid: j.asid,
    hafdbs: j.hafdbs,
    pan: j.pan,
    wxn: j.wxn,
    ips: j.ips,
    accesses: j.accesses,
    frames: j.frames,
  }));

/** The JSON as written in a file. */
export type Arm64ImageInput = z.input<typeof arm64ImageSchema>;
/** An Arm64Image plus the still-unparsed `frames` map. */
export type Arm64ImageParsed = z.output<typeof arm64ImageSchema>;
