// The few printf conversions the OSTEP scripts use, with Python's exact semantics.

/** `'%0Nx' % n`: lower-case hex, zero-padded to `width` (wider numbers are not truncated). */
export function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** `'%Nd' % n`: right-aligned decimal. */
export function dec(n: number, width: number): string {
  return String(n).padStart(width, ' ');
}

/** `str(list)` of Python ints: `[1, 2, 3]`. */
export function pyList(xs: readonly number[]): string {
  return `[${xs.join(', ')}]`;
}

/**
 * `'%.2f' % x` for a finite x >= 0. Python rounds the exact binary value half-to-even, while
 * JS `toFixed` breaks exact ties upwards (0.125 -> '0.13', Python '0.12'). `toFixed(100)` is
 * the exact decimal expansion of any double below 2**53, so the tie can be seen and resolved.
 */
export function fixed2(x: number): string {
  const exact = x.toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 3);
  if (/^50*$/.test(rest)) {
    const last = Number(exact[dot + 2]);
    const truncated = exact.slice(0, dot + 3);
    if (last % 2 === 0) return truncated;
  }
  return x.toFixed(2);
}
