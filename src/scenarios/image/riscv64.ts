// The schema of a riscv64 machine image (docs/machine-image.md, "RISC-V"), checked before the
// runner sees it: hex strings become bigints, and the bounds keep a hostile file small.
// `frames` is only checked to be a map of strings here; its keys and hex are validated where the
// frames are parsed, and it is passed through untouched for that.
import { z } from 'zod';
import type { Riscv64Image } from '../../core/image/riscv64';

export const MAX_RISCV64_ACCESSES = 4096;

/** A hex string of 1 to 16 digits with a 0x prefix, as a bigint. */
const hex64 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{1,16}$/, 'a hex string like 0x80200000 (at most 16 digits)')
  .transform((s) => BigInt(s));

const access = z
  .object({
    va: hex64,
    kind: z.enum(['read', 'write', 'fetch']),
    priv: z.enum(['U', 'S']),
  })
  .strict();

export const riscv64ImageSchema = z
  .object({
    arch: z.literal('riscv64'),
    mode: z.enum(['sv39', 'sv48', 'sv57']),
    // satp.PPN is 44 bits in RV64.
    satp_ppn: hex64.pipe(z.bigint().lt(1n << 44n, 'satp_ppn must be below 2^44 (44-bit PPN)')),
    asid: z.number().int().min(0).max(0xffff),
    sum: z.boolean(),
    mxr: z.boolean(),
    adue: z.boolean(),
    frames: z.record(z.string(), z.string()),
    accesses: z.array(access).max(MAX_RISCV64_ACCESSES),
  })
  .strict()
  .transform((j): Riscv64Image & { frames: Record<string, string> } => ({
    arch: j.arch,
    mode: j.mode,
    satpPpn: j.satp_ppn,
    asid: j.asid,
    sum: j.sum,
    mxr: j.mxr,
    adue: j.adue,
    accesses: j.accesses,
    frames: j.frames,
  }));

/** The JSON as written in a file. */
export type Riscv64ImageInput = z.input<typeof riscv64ImageSchema>;
/** A Riscv64Image plus the still-unparsed `frames` map. */
export type Riscv64ImageParsed = z.output<typeof riscv64ImageSchema>;
