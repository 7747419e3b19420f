import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AREAS,
  type Area,
  clampSize,
  collapsedShape,
  defaultLayout,
  fitToRoom,
  gridTracks,
  type Layout,
  limitsOf,
  MIN_PX,
  parseStoredLayout,
  resize,
  SPLITS,
  setCollapsed,
  spanOf,
  splitActive,
} from './layout';

const PROJECTOR = { width: 1264, height: 530 };

describe('the lesson defaults', () => {
  it('gives the emphasised area more room than the base layout', () => {
    const base = defaultLayout();
    expect(defaultLayout({ emphasis: 'pagetable' }).sizes.pt).toBeGreaterThan(base.sizes.pt);
    expect(defaultLayout({ emphasis: 'tlb' }).sizes.tlb).toBeGreaterThan(base.sizes.tlb);
    expect(defaultLayout({ emphasis: 'tlb' }).sizes.top).toBeGreaterThan(base.sizes.top);
    expect(defaultLayout({ emphasis: 'log' }).sizes.tlb).toBeLessThan(base.sizes.tlb);
    // The dock grows when the top row shrinks.
    expect(defaultLayout({ emphasis: 'dock' }).sizes.top).toBeLessThan(base.sizes.top);
  });

  it('collapses what the hint names, in reading order, never the emphasised area', () => {
    expect(defaultLayout({ collapsed: ['log', 'tlb'] }).collapsed).toEqual(['tlb', 'log']);
    expect(defaultLayout({ emphasis: 'log', collapsed: ['log'] }).collapsed).toEqual([]);
    expect(defaultLayout().collapsed).toEqual([]);
  });

  it('fits every emphasis inside the limits at 1280x720', () => {
    for (const emphasis of AREAS) {
      const { sizes } = defaultLayout({ emphasis });
      for (const s of SPLITS) {
        const { min, max } = limitsOf(s, sizes, PROJECTOR);
        expect(sizes[s], `${emphasis} ${s}`).toBeGreaterThanOrEqual(min);
        expect(sizes[s], `${emphasis} ${s}`).toBeLessThanOrEqual(max);
      }
    }
  });
});

describe('clamping', () => {
  it('keeps each side of a split at least its minimum width or height', () => {
    const layout = defaultLayout();
    const small = resize(layout, 'pt', 0, PROJECTOR);
    expect(small.sizes.pt * spanOf('pt', small.sizes, PROJECTOR)).toBeCloseTo(MIN_PX.pt.before, 6);
    const big = resize(layout, 'pt', 1, PROJECTOR);
    expect((1 - big.sizes.pt) * spanOf('pt', big.sizes, PROJECTOR)).toBeCloseTo(MIN_PX.pt.after, 6);
    const low = resize(layout, 'top', 0.99, PROJECTOR);
    expect((1 - low.sizes.top) * spanOf('top', low.sizes, PROJECTOR)).toBeCloseTo(MIN_PX.top.after, 6);
  });

  it('holds for any value and any room (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPLITS),
        fc.oneof(fc.double({ noNaN: false }), fc.constant(Number.POSITIVE_INFINITY)),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 3000 }),
        (split, value, width, height) => {
          const room = { width, height };
          const sizes = defaultLayout().sizes;
          const v = clampSize(split, value, sizes, room);
          const { min, max } = limitsOf(split, sizes, room);
          return Number.isFinite(v) && v >= min && v <= max && min >= 0.05 && max <= 0.95;
        },
      ),
    );
  });

  it('splits the difference when the room is too small for both minimums', () => {
    const { min, max } = limitsOf('pt', defaultLayout().sizes, { width: 600, height: 400 });
    expect(min).toBe(max);
  });

  it('fits a layout into a narrower window, and leaves one that fits alone', () => {
    const wide = defaultLayout({ emphasis: 'pagetable' });
    const laptop = { width: 900, height: 560 };
    const fitted = fitToRoom(wide, laptop);
    for (const s of SPLITS) {
      const { min, max } = limitsOf(s, fitted.sizes, laptop);
      expect(fitted.sizes[s]).toBeGreaterThanOrEqual(min);
      expect(fitted.sizes[s]).toBeLessThanOrEqual(max);
    }
    expect(fitted.sizes.pt).toBeLessThan(wide.sizes.pt);
    expect(fitToRoom(wide, PROJECTOR)).toBe(wide);
  });

  it('returns the same object when nothing changes', () => {
    const layout = resize(defaultLayout(), 'tlb', 0.5, PROJECTOR);
    expect(resize(layout, 'tlb', layout.sizes.tlb, PROJECTOR)).toBe(layout);
  });
});

describe('collapsing', () => {
  it('collapses and expands an area, and always leaves one open', () => {
    let l: Layout = defaultLayout();
    for (const a of ['dock', 'pagetable', 'tlb'] as Area[]) l = setCollapsed(l, a, true);
    expect(l.collapsed).toEqual(['pagetable', 'tlb', 'dock']);
    expect(setCollapsed(l, 'log', true)).toBe(l);
    l = setCollapsed(l, 'tlb', false);
    expect(l.collapsed).toEqual(['pagetable', 'dock']);
  });

  it('turns off the splitters beside a collapsed area', () => {
    const l = setCollapsed(defaultLayout(), 'log', true);
    expect(splitActive(l, 'tlb')).toBe(false);
    expect(splitActive(l, 'top')).toBe(true);
    expect(splitActive(l, 'pt')).toBe(true);
    expect(splitActive(setCollapsed(defaultLayout(), 'pagetable', true), 'pt')).toBe(false);
    expect(splitActive(setCollapsed(defaultLayout(), 'dock', true), 'top')).toBe(false);
  });

  it('gives a collapsed column a narrow track and the freed width to its neighbour', () => {
    const l = setCollapsed(defaultLayout(), 'tlb', true);
    // Tracks: page table, splitter, TLBs (a 40 px strip), splitter, log.
    expect(gridTracks(l).columns).toMatch(/fr\) 10px 40px 10px minmax/);
    // The log takes the whole right side: the page table's complement.
    expect(gridTracks(l).columns).toContain(`minmax(0, ${(1 - l.sizes.pt).toFixed(4)}fr)`);
  });

  it('turns the TLBs and the log into bars when both are collapsed, and the dock row takes the height', () => {
    let l = setCollapsed(defaultLayout(), 'tlb', true);
    l = setCollapsed(l, 'log', true);
    expect(collapsedShape(l, 'tlb')).toBe('bar');
    expect(gridTracks(l).rows.startsWith('auto ')).toBe(true);
    expect(collapsedShape(setCollapsed(defaultLayout(), 'tlb', true), 'tlb')).toBe('strip');
    expect(gridTracks(setCollapsed(defaultLayout(), 'dock', true)).rows.endsWith(' auto')).toBe(true);
  });
});

describe('the stored layout', () => {
  it('reads back what was stored', () => {
    const l = setCollapsed(resize(defaultLayout(), 'pt', 0.4, PROJECTOR), 'log', true);
    expect(parseStoredLayout(JSON.stringify(l))).toEqual(l);
  });

  it('refuses anything malformed', () => {
    for (const text of [
      null,
      'not json',
      '[]',
      '{"sizes":{"pt":0.3,"tlb":0.5},"collapsed":[]}',
      '{"sizes":{"pt":1.3,"tlb":0.5,"top":0.5},"collapsed":[]}',
      '{"sizes":{"pt":0.3,"tlb":0.5,"top":0.5},"collapsed":["bogus"]}',
      '{"sizes":{"pt":0.3,"tlb":0.5,"top":0.5},"collapsed":["pagetable","tlb","log","dock"]}',
      'x'.repeat(2000),
    ]) {
      expect(parseStoredLayout(text), String(text).slice(0, 40)).toBeNull();
    }
  });
});
