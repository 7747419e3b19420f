// `vmscope run arch-compare [--va HEX] [--kind read|write|fetch] [--priv user|kernel] [--json]`:
// lesson 3 in the terminal. Without --va it prints the program's pages and every access of the
// program on x86-64 (4- and 5-level), RISC-V Sv39 and ARM64; with --va, that one access.
import { type ArchColumn, compareProbe } from '../core/image/archCompare';
import {
  PROBE_KINDS,
  PROBE_PRIVS,
  type Probe,
  type ProbeKind,
  type ProbePriv,
  PROGRAM_ACCESSES,
  PROGRAM_PAGES,
  parseProbeVa,
} from '../core/image/archProgram';
import { hexAddr } from '../core/image/types';

export const ARCH_COMPARE_LESSON = 'arch-compare';

type Options = { ok: true; probe: Probe | null; json: boolean } | { ok: false; error: string };

function parseOptions(args: string[]): Options {
  let va: bigint | null = null;
  let kind: ProbeKind = 'read';
  let priv: ProbePriv = 'user';
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = (args[i] as string).split('=', 2) as [string, string | undefined];
    if (name === '--json') {
      json = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) return { ok: false, error: `${name.slice(0, 20)} needs a value` };
    if (name === '--va') {
      const r = parseProbeVa(value);
      if (!r.ok) return { ok: false, error: `--${r.error}` };
      va = r.va;
    } else if (name === '--kind') {
      const k = PROBE_KINDS.find((x) => x === value);
      if (!k) return { ok: false, error: `--kind must be one of ${PROBE_KINDS.join(', ')}` };
      kind = k;
    } else if (name === '--priv') {
      const p = PROBE_PRIVS.find((x) => x === value);
      if (!p) return { ok: false, error: `--priv must be one of ${PROBE_PRIVS.join(', ')}` };
      priv = p;
    } else {
      return { ok: false, error: `unknown option ${name.slice(0, 40)}` };
    }
  }
  return { ok: true, probe: va === null ? null : { va, kind, priv }, json };
}

function columnText(c: ArchColumn): string[] {
  const split = c.split.map((f) => `${f.name} ${f.hi}:${f.lo}=${f.value}`).join(' | ');
  const lines = [`  ${c.title} (${c.pattern})  ${c.regime}`, `    ${split}`, `    ${c.upperNote}`];
  for (const w of c.walk) {
    const flags = w.flags.map((f) => `${f.name}=${f.value}`).join(' ');
    lines.push(`    ${w.table}[${w.index}] @${w.entryAddr} = ${w.raw}  ${flags}  -> ${w.note}`);
  }
  lines.push(
    c.outcome.ok
      ? `    => PA ${c.outcome.pa} (${c.outcome.summary})`
      : `    => ${c.outcome.fault}: ${c.outcome.detail}`,
  );
  return lines;
}

function probeTitle(p: Probe): string {
  return `${p.priv} ${p.kind} of ${hexAddr(p.va)}`;
}

export function archCompareCommand(args: string[], out: (s: string) => void): number {
  const o = parseOptions(args);
  if (!o.ok) {
    process.stderr.write(`vmscope run arch-compare: ${o.error}\n`);
    return 2;
  }
  const probes: (Probe & { label?: string })[] = o.probe ? [o.probe] : [...PROGRAM_ACCESSES];
  if (o.json) {
    for (const p of probes) {
      out(JSON.stringify({ va: hexAddr(p.va), kind: p.kind, priv: p.priv, columns: compareProbe(p) }));
    }
    return 0;
  }
  out('arch-compare: one program on x86-64 (4- and 5-level), RISC-V Sv39 and ARM64 (4 KiB granule)');
  out('Every machine maps the same pages to the same frames; only the splits and entry formats differ.');
  for (const page of PROGRAM_PAGES) {
    const rights = `${page.user ? 'user' : 'kernel'} r${page.write ? 'w' : '-'}${page.exec ? 'x' : '-'}`;
    out(`  ${page.name.padEnd(7)} VA ${hexAddr(page.va).padEnd(20)} -> PA ${hexAddr(page.pa)}  ${rights}`);
  }
  probes.forEach((p, n) => {
    out('');
    out(`${o.probe ? '' : `${n + 1}. ${p.label ?? ''}: `}${probeTitle(p)}`);
    for (const c of compareProbe(p)) for (const line of columnText(c)) out(line);
  });
  return 0;
}
