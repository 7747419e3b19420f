// Physical frames: one cell per frame in use, coloured by its owner (one colour-blind-safe
// Okabe-Ito colour per process, slate for the kernel) and styled by what it holds (data, page
// table, the shared zero page, a copy-on-write share with its reference count, reserved), with the
// free ranges between them as dashed gaps. Frames this step allocated, freed or pointed a PTE at
// flash. Hover a cell (title) or focus it for its details. A large memory shows only the frames in
// use (at most MAX_CELLS) and says how many more there are.
import { type CSSProperties, type ReactElement, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { FramesView, FrameView, ProcView } from '../core/view/snapshot';
import { useVm } from '../state';
import { plural } from './format';
import type { TabPanelProps } from './tabs';

/** Cells drawn at most. */
export const MAX_CELLS = 512;

/**
 * One colour per process (Okabe-Ito, distinguishable with the common colour-vision deficiencies),
 * as the theme's variables (styles.css: --proc-1 .. --proc-7, --proc-kernel).
 */
const PROC_COLOURS = [1, 2, 3, 4, 5, 6, 7].map((i) => `var(--proc-${i})`);
const KERNEL_COLOUR = 'var(--proc-kernel)';

export function procColour(pid: number): string {
  if (pid < 0) return KERNEL_COLOUR;
  return (
    PROC_COLOURS[(((pid - 1) % PROC_COLOURS.length) + PROC_COLOURS.length) % PROC_COLOURS.length] ??
    KERNEL_COLOUR
  );
}

const KIND: Record<FrameView['state'], string> = {
  anon: 'anonymous (user data)',
  cow: 'anonymous, shared copy-on-write',
  pagetable: 'page table',
  zero: 'the shared zero page',
  reserved: 'reserved (kernel)',
  free: 'free (freed in this step)',
};

const CHANGE: Record<NonNullable<FrameView['change']>, string> = {
  alloc: 'allocated in this step',
  free: 'freed in this step',
  pte: 'a PTE now points to it, or no longer does',
};

function sizeName(span: number): string {
  return span === 512 ? '2 MiB' : span === 262144 ? '1 GiB' : `${span} frames`;
}

function owner(pid: number, procs: readonly ProcView[] | undefined): string {
  if (pid < 0) return 'the kernel';
  const name = procs?.find((p) => p.pid === pid)?.name;
  return name ? `process ${pid} (${name})` : `process ${pid}`;
}

/** The details of a frame, as one line: the title on hover, the detail line on focus. */
export function frameDetail(f: FrameView, procs: readonly ProcView[] | undefined): string {
  const where =
    f.span > 1 ? `Frames ${f.pfn}–${f.pfn + f.span - 1} (a ${sizeName(f.span)} page)` : `Frame ${f.pfn}`;
  const parts = [`${where}: ${KIND[f.state]}`];
  if (f.state !== 'free') {
    parts.push(`owner ${owner(f.pid, procs)}`);
    parts.push(`refcount ${f.refcount}`);
    parts.push(
      f.mappers.length ? `mapped by ${f.mappers.map((p) => `process ${p}`).join(', ')}` : 'no user mappings',
    );
    if (f.swapSlot !== undefined)
      parts.push(
        `in the swap cache: swap slot ${f.swapSlot} holds a copy, so if it stays clean reclaim can drop it without a write`,
      );
    const held = f.refcount - f.mappers.length - (f.swapSlot === undefined ? 0 : 1);
    if (f.state !== 'zero' && f.state !== 'reserved' && f.mappers.length > 0 && held > 0)
      parts.push(`${plural(held, 'reference')} held until a TLB flush ends`);
  }
  if (f.change) parts.push(CHANGE[f.change]);
  return parts.join(' · ');
}

/** The cell's short text under the frame number. */
function tag(f: FrameView): string {
  const who = f.pid < 0 ? 'kernel' : `P${f.pid}`;
  switch (f.state) {
    case 'pagetable':
      // "PT kernel" overflows a cell; the hover text says "the kernel" in full.
      return `PT ${f.pid < 0 ? 'kern' : who}`;
    case 'zero':
      return 'zero';
    case 'reserved':
      return 'kernel';
    case 'free':
      return 'freed';
    case 'cow':
      return `${who} ×${f.refcount}`;
    case 'anon':
      if (f.swapSlot !== undefined) return `${who} s${f.swapSlot}`;
      return f.span > 1 ? `${sizeName(f.span)} ${who}` : who;
  }
}

function Cell({
  f,
  step,
  procs,
  onShow,
}: {
  f: FrameView;
  step: number;
  procs: readonly ProcView[] | undefined;
  onShow: (f: FrameView | null) => void;
}) {
  const detail = frameDetail(f, procs);
  const style = { '--proc': procColour(f.pid) } as CSSProperties;
  const shown = f.span > 1 ? `${f.pfn}–${f.pfn + f.span - 1}` : String(f.pfn);
  const cls = `frame frame-${f.state}${f.span > 1 ? ' frame-wide' : ''}${f.change ? ` frame-changed frame-${f.change}` : ''}`;
  return (
    <li className="frame-slot">
      <button
        type="button"
        className={cls}
        style={style}
        title={detail}
        // The name starts with the text shown (WCAG 2.5.3: speech users say what they see).
        aria-label={`${shown} ${tag(f)}: ${detail}`}
        data-testid="frame"
        data-pfn={f.pfn}
        data-state={f.state}
        data-pid={f.pid}
        data-refcount={f.refcount}
        data-swap-slot={f.swapSlot ?? ''}
        data-change={f.change ?? ''}
        // Restart the flash when the same frame changes again in a later step.
        key={f.change ? `c${step}` : 'n'}
        onMouseEnter={() => onShow(f)}
        onMouseLeave={() => onShow(null)}
        onFocus={() => onShow(f)}
        onBlur={() => onShow(null)}
      >
        <span className="frame-pfn">{shown}</span> <span className="frame-tag">{tag(f)}</span>
      </button>
    </li>
  );
}

function Gap({ start, end, known }: { start: number; end: number; known: boolean }) {
  const n = end - start + 1;
  const text = start === end ? `${start}` : `${start}–${end}`;
  return (
    <li className="frame-slot frame-gap-slot">
      <span
        className={known ? 'frame-gap' : 'frame-gap frame-gap-unknown'}
        data-testid="frame-gap"
        title={known ? `${plural(n, 'free frame')}: ${text}` : `frames ${text}: not drawn (over the cap)`}
      >
        {known ? `free ${text}` : '…'}
      </span>
    </li>
  );
}

/** How many frames are in use and free, for the head of the panel (and the swap device's slots). */
export function FramesHead() {
  const frames = useVm((s) => s.snapshot?.frames);
  if (!frames) return null;
  const sw = frames.swap;
  return (
    <span className="panel-what frames-summary" data-testid="frames-summary">
      <b>{frames.used.toLocaleString('en-US')}</b> of {frames.total.toLocaleString('en-US')} frames in use ·{' '}
      {frames.free.toLocaleString('en-US')} free
      {sw && (
        <span data-testid="swap-summary">
          {' '}
          · swap ({sw.policy}): {sw.used}/{sw.slots} slots, {sw.writes} out, {sw.reads} in
        </span>
      )}
    </span>
  );
}

function freeText(f: FramesView): string {
  const list = f.freeRanges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}–${r.end}`)).join(', ');
  if (!list) return 'no free frames';
  return `free: frames ${list}${f.freeRangesOmitted > 0 ? ` and ${plural(f.freeRangesOmitted, 'more range')}` : ''}`;
}

export function FramesBody({ tabpanel }: { tabpanel?: TabPanelProps }) {
  const { frames, procs, step } = useVm(
    useShallow((s) => ({
      frames: s.snapshot?.frames,
      procs: s.snapshot?.procs,
      step: s.snapshot?.step ?? 0,
    })),
  );
  const [shown, setShown] = useState<FrameView | null>(null);
  if (!frames) return <div className="frames-body" {...tabpanel} />;
  const cells = frames.frames.slice(0, MAX_CELLS);
  const notDrawn = frames.omitted + (frames.frames.length - cells.length);
  const pids = [...new Set(frames.frames.filter((f) => f.pid >= 0).map((f) => f.pid))].sort((a, b) => a - b);
  const freeKnown = (start: number, end: number) =>
    frames.freeRangesOmitted === 0 && notDrawn === 0
      ? true
      : frames.freeRanges.some((r) => r.start === start && r.end === end);
  const items: ReactElement[] = [];
  let next = 0;
  for (const f of cells) {
    if (f.pfn > next)
      items.push(<Gap key={`g${next}`} start={next} end={f.pfn - 1} known={freeKnown(next, f.pfn - 1)} />);
    items.push(<Cell key={`f${f.pfn}`} f={f} step={step} procs={procs} onShow={setShown} />);
    next = Math.max(next, f.pfn + f.span);
  }
  if (next < frames.total)
    items.push(
      <Gap key={`g${next}`} start={next} end={frames.total - 1} known={freeKnown(next, frames.total - 1)} />,
    );
  return (
    <div className="frames-body" {...tabpanel}>
      <div className="frames-info" aria-live="polite">
        {shown ? (
          <span className="frames-detail" data-testid="frame-detail">
            {frameDetail(shown, procs)}
          </span>
        ) : (
          <span className="legend frames-legend">
            {pids.map((pid) => (
              <span
                key={pid}
                className="chip frames-key"
                style={{ '--proc': procColour(pid) } as CSSProperties}
              >
                P{pid} {procs?.find((p) => p.pid === pid)?.name ?? ''}
              </span>
            ))}
            <span className="chip frames-key frames-key-pt">page table</span>
            <span className="chip frames-key frames-key-cow">shared ×refs</span>
            <span className="chip frames-key frames-key-zero">zero page</span>
            <span className="chip frames-key frames-key-kernel">kernel</span>
            <span className="chip frames-key frames-key-free">freed</span>
            {frames.swap && <span className="chip frames-key">sN: in the swap cache, slot N</span>}
            <span className="chip frames-key frames-key-changed">changed this step</span>
          </span>
        )}
      </div>
      <ul className="frames-grid" aria-label="Frames in use, by frame number">
        {items}
      </ul>
      {notDrawn > 0 && (
        <p className="frames-more" data-testid="frames-more">
          … and {plural(notDrawn, 'more frame')} in use, not drawn.
        </p>
      )}
      <p className="frames-free sr-only">{freeText(frames)}</p>
    </div>
  );
}
