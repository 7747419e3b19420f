// Reading an untrusted file for the CLI: its size is checked (stat) before any byte is read.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export type Read = { ok: true; text: string } | { ok: false; error: string };

/** Reads a file of at most `cap` bytes; the size is checked (stat) before anything is read. */
export function readCapped(path: string, cap: number): Read {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, error: `${path}: not a file` };
    size = st.size;
  } catch (err) {
    return { ok: false, error: `${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}` };
  }
  if (size > cap) return { ok: false, error: `${path}: ${size} bytes; the limit is ${cap}` };
  const buf = Buffer.alloc(size);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { ok: false, error: `${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}` };
  }
  try {
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return { ok: true, text: buf.subarray(0, got).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
