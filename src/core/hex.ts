// Hex formatting shared by events, narration and the CLI. Addresses travel as hex strings
// (docs/events.md) because 64-bit values do not fit a JS number.

export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

/** A 64-bit page-table entry held as two 32-bit halves, as 0x + 16 hex digits. */
export function hexEntry(lo: number, hi: number): string {
  return `0x${(hi >>> 0).toString(16).padStart(8, '0')}${(lo >>> 0).toString(16).padStart(8, '0')}`;
}

/** A virtual address from its 4 KiB page number and offset (vpn may use all 52 bits). */
export function vaFromParts(vpn: number, offset: number): bigint {
  return (BigInt(vpn) << 12n) | BigInt(offset);
}

export function vpnOf(va: bigint): number {
  return Number((va >> 12n) & 0xfffffffffffffn);
}

export function offsetOf(va: bigint): number {
  return Number(va & 0xfffn);
}

export function parseHex(s: string): bigint | null {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(s)) return null;
  return BigInt(s);
}
