import type { EventBody } from '../events';
import { hex, vaFromParts } from '../hex';

/** Where a step's events go. Null when recording is off (the benchmark). */
export type Emit = (e: EventBody) => void;

export function vaHex(vpn: number, off: number): string {
  return hex(vaFromParts(vpn, off));
}

export function paHex(pfn: number, off: number): string {
  return hex(pfn * 4096 + off);
}
