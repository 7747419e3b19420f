// A small, strict argument parser: unknown flags and bad values are errors, never ignored.

export type Parsed =
  | { ok: true; positional: string[]; flags: Record<string, string | true> }
  | { ok: false; error: string };

export function parseArgs(args: string[], spec: Record<string, 'bool' | 'int' | 'list'>): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const kind = spec[name];
    if (!kind) return { ok: false, error: `unknown option --${name.slice(0, 40)}` };
    if (kind === 'bool') {
      flags[name] = true;
      continue;
    }
    const v = inline ?? args[++i];
    if (kind === 'list') {
      if (v === undefined || v.length > 200 || !/^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(v)) {
        return { ok: false, error: `--${name} needs a comma-separated list` };
      }
      flags[name] = v;
      continue;
    }
    if (v === undefined || !/^\d{1,10}$/.test(v))
      return { ok: false, error: `--${name} needs a whole number` };
    flags[name] = v;
  }
  return { ok: true, positional, flags };
}
