#!/usr/bin/env node
// Enforces the one direction of imports: core <- scenarios <- worker/cli <- state <- ui.
// Biome lints style and correctness; this script knows the layers. A layer may import itself,
// the layers below it, and `import type` from anywhere below (state and ui see the core's types,
// never its code, so the simulation only runs in the worker or the CLI).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

// Which layers each layer may import at run time, and which packages.
const rules = {
  core: { layers: ['core'], packages: [] },
  scenarios: { layers: ['core', 'scenarios'], packages: ['zod'] },
  worker: { layers: ['core', 'scenarios', 'worker'], packages: [] },
  cli: { layers: ['core', 'scenarios', 'cli'], packages: ['node:'] },
  state: { layers: ['state', 'worker/protocol', 'scenarios/permalink'], packages: ['zustand', 'lz-string'] },
  ui: { layers: ['ui', 'state'], packages: ['react', 'react-dom', 'zustand', 'd3-'] },
};
const typeOnlyFrom = {
  core: [],
  scenarios: [],
  worker: [],
  cli: [],
  state: ['core', 'scenarios', 'worker'],
  ui: ['core', 'scenarios', 'worker', 'state'],
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

const importRe =
  /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
const problems = [];
for (const file of walk(src)) {
  const rel = relative(src, file).split(sep);
  const layer = rel[0];
  if (!layer || !(layer in rules) || rel.length < 2) continue;
  const isTest = /\.test\.tsx?$/.test(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const typeOnly = Boolean(m[2]);
    const spec = m[3] ?? m[4];
    if (!spec) continue;
    const line = text.slice(0, m.index).split('\n').length;
    const where = `${relative(root, file)}:${line}`;
    if (spec.startsWith('.')) {
      const target = relative(src, resolve(dirname(file), spec))
        .split(sep)
        .join('/');
      const allowed = rules[layer].layers.some((l) => target === l || target.startsWith(`${l}/`));
      const typeOk = typeOnly && typeOnlyFrom[layer].some((l) => target.startsWith(`${l}/`));
      if (!allowed && !typeOk) {
        problems.push(
          `${where}: ${layer} may not import '${spec}' (${target}); imports flow core <- scenarios <- worker/cli <- state <- ui${typeOnlyFrom[layer].length ? ' (use `import type` for types)' : ''}`,
        );
      }
    } else {
      if (isTest && ['vitest', 'fast-check', 'node:'].some((p) => spec.startsWith(p))) continue;
      if (typeOnly) continue;
      if (
        !rules[layer].packages.some(
          (p) => spec === p || spec.startsWith(p.endsWith(':') || p.endsWith('-') ? p : `${p}/`),
        )
      ) {
        problems.push(`${where}: ${layer} may not import the package '${spec}'`);
      }
    }
  }
}
if (problems.length) {
  process.stderr.write(`Layer rule violations:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('layers: ok\n');
