// The optional layout hint of a scenario (src/core/spec.ts LayoutHint): strict, so a scenario
// file with a misspelt key or an unknown panel gets a one-line error naming the field.
import { z } from 'zod';
import type { LayoutArea, LayoutDockTab } from '../core/spec';

export const LAYOUT_AREAS = ['pagetable', 'tlb', 'log', 'dock'] as const satisfies readonly LayoutArea[];
export const LAYOUT_DOCK_TABS = [
  'ipi',
  'cores',
  'frames',
  'stats',
] as const satisfies readonly LayoutDockTab[];

const area = z.enum(LAYOUT_AREAS, { error: `one of ${LAYOUT_AREAS.join(', ')}` });

export const layoutHintSchema = z
  .strictObject({
    dock: z.enum(LAYOUT_DOCK_TABS, { error: `one of ${LAYOUT_DOCK_TABS.join(', ')}` }).optional(),
    emphasis: area.optional(),
    collapsed: z
      .array(area)
      .max(LAYOUT_AREAS.length)
      .refine((a) => new Set(a).size === a.length, 'each area at most once')
      // Something must stay open to look at.
      .refine((a) => a.length < LAYOUT_AREAS.length, 'at least one area stays open')
      .optional(),
  })
  .refine((h) => h.emphasis === undefined || !(h.collapsed ?? []).includes(h.emphasis), {
    message: 'the emphasised area cannot start collapsed',
    path: ['emphasis'],
  });
