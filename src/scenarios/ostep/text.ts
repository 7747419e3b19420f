// Shared pieces of the OSTEP problem parsers: a size cap, line splitting and Python's int().

/** Problem texts are a few KiB; anything past this is refused before it is looked at. */
export const MAX_PROBLEM_BYTES = 256 * 1024;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** A bit of untrusted input for an error message: short, quoted, control characters escaped. */
export function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);
}

/**
 * Splits a problem into lines (CRLF tolerated, a leading BOM dropped). The final newline ends
 * the last line rather than starting an empty one, so line i is the script's (i+1)-th print.
 */
export function toLines(text: string): ParseResult<string[]> {
  if (text.length > MAX_PROBLEM_BYTES) return fail(`input is over the ${MAX_PROBLEM_BYTES}-byte limit`);
  if (text.includes('\0')) return fail('input contains NUL bytes: not a problem text');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return { ok: true, value: lines };
}

const DIGITS: Record<number, string> = { 2: '01', 8: '0-7', 10: '0-9', 16: '0-9a-fA-F' };
const PREFIX: Record<number, RegExp> = { 2: /^0[bB]_?/, 8: /^0[oO]_?/, 16: /^0[xX]_?/ };

/**
 * Python's `int(s, base)` for the bases the scripts use: surrounding whitespace, a sign,
 * single underscores between digits, and the base's own 0x/0o/0b prefix. Null if Python
 * would raise ValueError, or past its 4300-digit limit for decimal strings.
 */
export function pyInt(s: string, base: 2 | 8 | 10 | 16 = 10): bigint | null {
  let t = s.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
  let negative = false;
  if (t.startsWith('-') || t.startsWith('+')) {
    negative = t.startsWith('-');
    t = t.slice(1);
  }
  const prefix = PREFIX[base];
  if (prefix) t = t.replace(prefix, '');
  const d = DIGITS[base] as string;
  if (t.length > 4300 || !new RegExp(`^[${d}]+(?:_[${d}]+)*$`).test(t)) return null;
  const digits = t.replaceAll('_', '');
  const lead = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base];
  const v = BigInt(`${lead}${digits}`);
  return negative ? -v : v;
}

/** pyInt narrowed to a JS number that prints exactly as Python prints the int. */
export function pySafeInt(s: string): number | null {
  const v = pyInt(s);
  if (v === null || v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(v);
}
