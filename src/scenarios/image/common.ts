// Pieces every machine-image schema shares: hex addresses as bigint, the frames map, the
// access list bound, and one readable line per validation error.
import { z } from 'zod';

/** More frames or accesses than this is not a page-table dump a person would open. */
export const MAX_IMAGE_FRAMES = 4096;
export const MAX_IMAGE_ACCESSES = 4096;

/** A hex address of up to 64 bits ("0x" optional), as a bigint. */
export const hexAddress = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{1,16}$/, 'expected a hex address like "0x7f0000400123" (at most 64 bits)')
  .transform((s) => BigInt(s.startsWith('0x') ? s : `0x${s}`));

/** Frame contents: up to 4096 bytes of hex; missing bytes are zero. */
export const frameHex = z
  .string()
  .max(8192, 'a frame holds at most 4096 bytes (8192 hex digits)')
  .regex(/^([0-9a-fA-F]{2})*$/, 'expected an even number of hex digits');

export const framesRecord = z.record(z.string(), frameHex);

export function formatIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length
    ? issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '')
    : 'image';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}
