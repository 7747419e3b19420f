// paging-policy.py's command line, parsed the way optparse does (short options with attached
// or separate values, clusters like -cN, long options and their unique prefixes, last one
// wins), then converted the way the script converts each value. There is no problem file:
// the flags are the problem. The script always solves here (-c is accepted and implied).
import { type PolicyOptions, MAX_REFS } from '../../core/ostep/policy';
import { pyInt, pySafeInt, show } from './text';

type Opt = { long: string; short: string; value: boolean };
const OPTS: Opt[] = [
  { long: 'addresses', short: 'a', value: true },
  { long: 'addressfile', short: 'f', value: true },
  { long: 'numaddrs', short: 'n', value: true },
  { long: 'policy', short: 'p', value: true },
  { long: 'clockbits', short: 'b', value: true },
  { long: 'cachesize', short: 'C', value: true },
  { long: 'maxpage', short: 'm', value: true },
  { long: 'seed', short: 's', value: true },
  { long: 'notrace', short: 'N', value: false },
  { long: 'compute', short: 'c', value: false },
  { long: 'help', short: 'h', value: false },
];

/** Where the -f file is read: the caller (the CLI) owns the file system and the size cap. */
export type ReadFile = (path: string) => { ok: true; text: string } | { ok: false; error: string };

/** usage: optparse itself would reject the command line (it exits 2); otherwise the script would fail later (exit 1). */
export type PolicyArgsResult =
  | { ok: true; help: true }
  | { ok: true; help: false; options: PolicyOptions }
  | { ok: false; usage: boolean; error: string };

const usage = (error: string): PolicyArgsResult => ({ ok: false, usage: true, error });
const bad = (error: string): PolicyArgsResult => ({ ok: false, usage: false, error });

function findLong(name: string): Opt | string {
  const exact = OPTS.find((o) => o.long === name);
  if (exact) return exact;
  const hits = OPTS.filter((o) => o.long.startsWith(name));
  if (hits.length === 1) return hits[0] as Opt;
  if (hits.length === 0) return `no such option: --${name.slice(0, 40)}`;
  return `ambiguous option: --${name} (${hits.map((o) => `--${o.long}`).join(', ')}?)`;
}

/** optparse's scan: option name -> value (true for flags). */
function scan(
  argv: string[],
): { ok: true; values: Map<string, string | true> } | { ok: false; error: string } {
  const values = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--' || a === '-' || !a.startsWith('-'))
      return { ok: false, error: `unexpected argument ${show(a)}; the problem is given by flags` };
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const opt = findLong(a.slice(2, eq < 0 ? undefined : eq));
      if (typeof opt === 'string') return { ok: false, error: opt };
      if (!opt.value && eq >= 0) return { ok: false, error: `--${opt.long} option does not take a value` };
      if (!opt.value) values.set(opt.long, true);
      else if (eq >= 0) values.set(opt.long, a.slice(eq + 1));
      else if (i + 1 < argv.length) values.set(opt.long, argv[++i] as string);
      else return { ok: false, error: `--${opt.long} option requires 1 argument` };
      continue;
    }
    // A cluster: flags until one takes a value, which is the rest of the word or the next word.
    for (let k = 1; k < a.length; k++) {
      const opt = OPTS.find((o) => o.short === a[k]);
      if (!opt) return { ok: false, error: `no such option: -${a[k]}` };
      if (!opt.value) {
        values.set(opt.long, true);
        continue;
      }
      if (k + 1 < a.length) values.set(opt.long, a.slice(k + 1));
      else if (i + 1 < argv.length) values.set(opt.long, argv[++i] as string);
      else return { ok: false, error: `-${opt.short} option requires 1 argument` };
      break;
    }
  }
  return { ok: true, values };
}

/** optparse's type="int" (only -b has it): 0x.. hex, 0b.. binary, a leading 0 octal. */
function optparseInt(s: string): bigint | null {
  const low = s.slice(0, 2).toLowerCase();
  if (low === '0x') return pyInt(s, 16);
  if (low === '0b') return pyInt(s.slice(2) || '0', 2);
  if (s.startsWith('0')) return pyInt(s, 8);
  return pyInt(s, 10);
}

/** Python int() of a comma-separated -a list or the lines of a -f file. */
function pages(items: string[], where: string): number[] | string {
  if (items.length > MAX_REFS) return `${items.length} references in ${where}; the limit is ${MAX_REFS}`;
  const out: number[] = [];
  for (const [k, item] of items.entries()) {
    const n = pySafeInt(item);
    if (n === null) return `${where}: item ${k + 1} (${show(item)}) is not an integer page number`;
    out.push(n);
  }
  return out;
}

export function parsePolicyArgs(argv: string[], readFile: ReadFile): PolicyArgsResult {
  const scanned = scan(argv);
  if (!scanned.ok) return usage(scanned.error);
  const get = (name: string, dflt: string) => {
    const v = scanned.values.get(name);
    return typeof v === 'string' ? v : dflt;
  };
  // Like optparse, -h wins over everything else on the line.
  if (scanned.values.has('help')) return { ok: true, help: true };
  const clockText = get('clockbits', '2');
  const clock = optparseInt(clockText);
  if (clock === null) return usage(`option -b: invalid integer value: ${show(clockText)}`);

  const args = {
    addresses: get('addresses', '-1'),
    addressfile: get('addressfile', ''),
    numaddrs: get('numaddrs', '10'),
    policy: get('policy', 'FIFO'),
    clockbits: clock.toString(),
    cachesize: get('cachesize', '3'),
    maxpage: get('maxpage', '10'),
    seed: get('seed', '0'),
    notrace: scanned.values.has('notrace'),
  };
  // The script runs int() on all of these up front, whether or not they end up used.
  const ints = { numaddrs: 'n', cachesize: 'C', seed: 's', maxpage: 'm' } as const;
  const parsed: Partial<Record<keyof typeof ints, bigint>> = {};
  for (const [name, flag] of Object.entries(ints) as [keyof typeof ints, string][]) {
    const v = pyInt(args[name]);
    if (v === null) return bad(`-${flag} ${show(args[name])} is not an integer`);
    parsed[name] = v;
  }
  const { numaddrs, cachesize, seed, maxpage } = parsed as Record<keyof typeof ints, bigint>;

  let refs: PolicyOptions['refs'];
  if (args.addressfile !== '') {
    // Python iterates the file's lines (universal newlines) and int()s each one.
    const read = readFile(args.addressfile);
    if (!read.ok) return bad(read.error);
    const lines = read.text.split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    const r = pages(lines, args.addressfile);
    if (typeof r === 'string') return bad(r);
    refs = { kind: 'list', pages: r };
  } else if (args.addresses === '-1') {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    // Past 2**53 the drawn page numbers stop being exact integers in a double.
    if (maxpage > max || maxpage < -max) return bad(`-m ${show(args.maxpage)} is too large`);
    if (numaddrs > BigInt(MAX_REFS)) return bad(`-n ${show(args.numaddrs)}: at most ${MAX_REFS} references`);
    const count = Number(numaddrs);
    refs = { kind: 'random', count, maxPage: Number(maxpage) };
  } else {
    if (args.addresses.length > 256 * 1024) return bad('-a list is over the 256 KiB limit');
    const r = pages(args.addresses.split(','), '-a');
    if (typeof r === 'string') return bad(r);
    refs = { kind: 'list', pages: r };
  }
  return {
    ok: true,
    help: false,
    options: {
      args,
      policy: args.policy,
      // Only compared with the number of resident pages, so a huge value acts as "never full".
      cacheSize: Number(cachesize),
      clockBits: Number(clock),
      seed,
      refs,
    },
  };
}
