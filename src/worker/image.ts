// The "Machine image" view in the worker: a `vmscope translate` JSON image (untrusted, validated
// by parseMachineImage), run once with the core's runImage exactly as the CLI runs it (every
// access a fresh walk, A/D updates kept in order), and a cursor over its accesses: step k shows
// the first k results, the k-th as the current one. Step 0 is the image before any access.
import { runImage } from '../core/image/run';
import { type ImageTree, imageTree } from '../core/image/tree';
import type { ImageResult } from '../core/image/types';
import { type MachineImage, parseMachineImage } from '../scenarios/image/parse';
import { EXAMPLE_IMAGE_TEXT } from './imageBuiltin';
import { IMAGE_LESSON, type ImageSource } from './protocol';

export interface ImageAccessView {
  n: number;
  /** The virtual address in hex. */
  va: string;
  /** "user read (CPL 3)", "write in S-mode", ... */
  what: string;
  state: 'todo' | 'now' | 'done';
  /** null until the access has run (a later step). */
  ok: boolean | null;
  /** A short reading of the result, e.g. "PA 0x5123" or "#PF, error code 0x7 (P W U)". */
  summary: string | null;
  /** The result as `vmscope translate` prints it (one element of its `results`). */
  json: string | null;
}

export interface ImageView {
  lesson: typeof IMAGE_LESSON;
  title: string;
  summary: string;
  input: {
    /** The built-in example's name, or null for a pasted image. */
    builtin: 'example' | null;
    pasteSeq: number | null;
    label: string;
    /** The translation regime: architecture, root table, control bits. */
    regime: string;
    frames: number;
  };
  step: number;
  end: number;
  keyMoments: { label: string; step: number }[];
  accesses: ImageAccessView[];
  narration: string[];
  /** The page-table tree from the root registers, as the image was loaded (before any access). */
  tree: ImageTree;
}

export interface ImageSession {
  image: MachineImage;
  results: ImageResult[];
  frames: number;
  step: number;
  builtin: 'example' | null;
  pasteSeq: number | null;
  tree: ImageTree;
}

export type ImageOpenResult = { ok: true; session: ImageSession } | { ok: false; error: string };

const TITLE = 'Machine image: translate its accesses';
const SUMMARY =
  'The JSON of vmscope translate: frames holding page tables, the paging registers and a list of ' +
  'accesses. Each access is a fresh walk; the A/D bits one sets carry over to the next.';

const hex = (v: bigint | number) => `0x${v.toString(16)}`;
const bit = (b: boolean) => (b ? 1 : 0);

export function openImage(source: ImageSource, pasteSeq: number | null = null): ImageOpenResult {
  const r = parseMachineImage(source.kind === 'builtin' ? EXAMPLE_IMAGE_TEXT : source.text);
  if (!r.ok) return r;
  const { image, frames, frameKeys } = r.value;
  // The tree first: running the accesses sets A/D bits in `frames`.
  const tree = imageTree(image, frames);
  const run = runImage(image, frames, frameKeys);
  return {
    ok: true,
    session: {
      image,
      results: run.results,
      frames: frameKeys.size,
      step: 0,
      builtin: source.kind === 'builtin' ? 'example' : null,
      pasteSeq: source.kind === 'builtin' ? null : pasteSeq,
      tree,
    },
  };
}

export function imageEnd(s: ImageSession): number {
  return s.results.length;
}

export function imageSeek(s: ImageSession, step: number): void {
  s.step = Math.max(0, Math.min(imageEnd(s), Math.floor(step)));
}

/** Forward to the next access that faults ('fault'), or to the end. */
export function imageRunUntil(s: ImageSession, until: 'fault' | 'ipi' | 'violation' | 'end'): void {
  while (s.step < imageEnd(s)) {
    s.step += 1;
    if (until === 'fault' && s.results[s.step - 1]?.ok === false) return;
  }
}

function regime(img: MachineImage): string {
  switch (img.arch) {
    case 'x86_64':
      return `x86-64, ${img.levels}-level paging · CR3 ${hex(img.cr3)} · MAXPHYADDR ${img.maxphyaddr} · WP=${bit(img.cr0Wp)} SMEP=${bit(img.cr4Smep)} SMAP=${bit(img.cr4Smap)} NXE=${bit(img.eferNxe)}`;
    case 'riscv64':
      return `RISC-V ${img.mode} · satp.PPN ${hex(img.satpPpn)} · SUM=${bit(img.sum)} MXR=${bit(img.mxr)} ADUE=${bit(img.adue)}`;
    case 'arm64':
      return `ARM64, 4 KiB granule · T0SZ ${img.t0sz} T1SZ ${img.t1sz} · TTBR0 ${hex(img.ttbr0)} TTBR1 ${hex(img.ttbr1)} · HAFDBS=${bit(img.hafdbs)} PAN=${bit(img.pan)} WXN=${bit(img.wxn)}`;
  }
}

function accessOf(img: MachineImage, n: number): { va: string; what: string } | null {
  switch (img.arch) {
    case 'x86_64': {
      const a = img.accesses[n];
      return a
        ? {
            va: hex(a.va),
            what: `${a.cpl === 3 ? 'user' : 'supervisor'} ${a.kind} (CPL ${a.cpl}${a.ac ? ', AC=1' : ''})`,
          }
        : null;
    }
    case 'riscv64': {
      const a = img.accesses[n];
      return a ? { va: hex(a.va), what: `${a.kind} in ${a.priv}-mode` } : null;
    }
    case 'arm64': {
      const a = img.accesses[n];
      return a ? { va: hex(a.va), what: `${a.kind} at EL${a.el}` } : null;
    }
  }
}

/** The x86 #PF error-code bits a student looks up (SDM vol. 3A, 4.7). */
const PF_BITS: [number, string][] = [
  [0, 'P'],
  [1, 'W'],
  [2, 'U'],
  [3, 'RSVD'],
  [4, 'I'],
  [5, 'PK'],
  [15, 'SGX'],
];

function summarize(r: ImageResult): string {
  if (r.ok === true) return `PA ${String(r.pa)}`;
  if (r.vector === 13) return '#GP: the address is not canonical';
  if (r.vector === 14 && typeof r.error_code === 'number') {
    const code = r.error_code;
    const names = PF_BITS.filter(([b]) => (code >> b) & 1).map(([, name]) => name);
    const kind = code & 1 ? 'protection' : 'not present';
    return `#PF (${kind}), error code ${hex(code)}${names.length ? ` = ${names.join(' ')}` : ''}, CR2 ${String(r.cr2)}`;
  }
  if (r.cause !== undefined) {
    const what = { 12: 'instruction', 13: 'load', 15: 'store/AMO' }[Number(r.cause)] ?? '';
    return `${what} page fault (cause ${String(r.cause)}), stval ${String(r.tval)}`.trimStart();
  }
  if (r.fault !== undefined)
    return `${String(r.fault)} fault at level ${String(r.level)}, ESR ${String(r.esr)}`;
  return 'fault';
}

export function imageView(s: ImageSession): ImageView {
  const total = s.results.length;
  const accesses: ImageAccessView[] = s.results.map((r, n) => {
    const a = accessOf(s.image, n) ?? { va: '?', what: '' };
    const done = n < s.step;
    return {
      n,
      va: a.va,
      what: a.what,
      state: n === s.step - 1 ? 'now' : done ? 'done' : 'todo',
      ok: done ? r.ok === true : null,
      summary: done ? summarize(r) : null,
      json: done ? JSON.stringify(r) : null,
    };
  });
  const cur = s.step > 0 ? accesses[s.step - 1] : undefined;
  const narration = cur
    ? [`Access ${cur.n + 1} of ${total}: ${cur.what} of ${cur.va} → ${cur.summary}.`]
    : [
        total === 0
          ? 'This image has no accesses to run.'
          : `The image holds ${s.frames} frame${s.frames === 1 ? '' : 's'} and ${total} access${total === 1 ? '' : 'es'}. Press Step (→) to run the first.`,
      ];
  return {
    lesson: IMAGE_LESSON,
    title: TITLE,
    summary: SUMMARY,
    input: {
      builtin: s.builtin,
      pasteSeq: s.pasteSeq,
      label: s.builtin ? 'the built-in example' : `pasted ${s.image.arch} image`,
      regime: regime(s.image),
      frames: s.frames,
    },
    step: s.step,
    end: total,
    // A marker on the scrubber for each access that faults.
    keyMoments: s.results.flatMap((r, n) =>
      r.ok === true ? [] : [{ label: `Access ${n + 1} faults`, step: n + 1 }],
    ),
    accesses,
    narration,
    tree: s.tree,
  };
}
