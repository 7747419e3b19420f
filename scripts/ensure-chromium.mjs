#!/usr/bin/env node
// Finds a Chromium for the e2e tests, or installs Debian's when we are root on Debian.
// Playwright cannot download its own browser on this network, so we never ask it to.
// Prints the path it settled on; exits non-zero with instructions when there is none.
import { execFileSync } from 'node:child_process';
import { findChromium } from './chromium-path.mjs';

function say(msg) {
  process.stdout.write(`[e2e browser] ${msg}\n`);
}

let found = findChromium();
if (found) {
  say(`using ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let isDebian = false;
try {
  execFileSync('sh', ['-c', 'command -v apt-get && test -f /etc/debian_version'], { stdio: 'ignore' });
  isDebian = true;
} catch {
  isDebian = false;
}

if (isRoot && isDebian) {
  say('no Chromium found: installing Debian\'s "chromium" package with apt-get (about a minute)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env,
  });
  found = findChromium();
  if (found) {
    say(`installed; using ${found}`);
    process.exit(0);
  }
}

process.stderr.write(
  [
    '[e2e browser] No Chromium found for the end-to-end tests.',
    'Give one of these:',
    '  - set CHROMIUM_PATH=/path/to/chromium (any Chromium or Chrome build of a recent major),',
    '  - on Debian/Ubuntu: sudo apt-get install chromium   (then /usr/bin/chromium is used),',
    '  - or a browser installed by Playwright itself (npx playwright install chromium) where that can download.',
    '',
  ].join('\n'),
);
process.exit(1);
