// The x86-64 machine image (docs/machine-image.md): registers that select the paging mode and
// the checks the walker applies, plus the accesses to run.
import { z } from 'zod';
import type { X86Image } from '../../core/image/x86_64';
import { framesRecord, hexAddress, MAX_IMAGE_ACCESSES } from './common';

const access = z
  .object({
    va: hexAddress,
    kind: z.enum(['read', 'write', 'fetch']),
    cpl: z.union([z.literal(0), z.literal(3)]),
    ac: z.boolean().default(false),
  })
  .strict();

export const x86ImageSchema = z
  .object({
    arch: z.literal('x86_64'),
    levels: z.union([z.literal(4), z.literal(5)]),
    // The SDM allows up to 52; real parts report 36 to 52.
    maxphyaddr: z.number().int().min(32).max(52),
    cr3: hexAddress,
    cr0_wp: z.boolean(),
    cr4_smep: z.boolean(),
    cr4_smap: z.boolean(),
    cr4_pge: z.boolean(),
    efer_nxe: z.boolean(),
    frames: framesRecord,
    accesses: z.array(access).max(MAX_IMAGE_ACCESSES),
  })
  .strict()
  .superRefine((img, ctx) => {
    // Bit 63 is the no-flush hint of MOV to CR3; any other bit at or above MAXPHYADDR is a #GP.
    if ((img.cr3 & ~(1n << 63n)) >> BigInt(img.maxphyaddr) !== 0n) {
      ctx.addIssue({
        code: 'custom',
        path: ['cr3'],
        message: `the root table lies above MAXPHYADDR (${img.maxphyaddr} bits)`,
      });
    }
  });

export type X86ImageInput = z.input<typeof x86ImageSchema>;

export function toX86Image(v: z.output<typeof x86ImageSchema>): X86Image {
  return {
    arch: 'x86_64',
    levels: v.levels,
    maxphyaddr: v.maxphyaddr,
    cr3: v.cr3,
    cr0Wp: v.cr0_wp,
    cr4Smep: v.cr4_smep,
    cr4Smap: v.cr4_smap,
    cr4Pge: v.cr4_pge,
    eferNxe: v.efer_nxe,
    accesses: v.accesses,
  };
}
