// The versioned schema every scenario passes before anything runs: built-in ones in the tests,
// pasted or linked ones at the boundary. Bounds keep a hostile file from exhausting the worker.
import { z } from 'zod';
import { checkBuildable } from './buildable';
import { kernelSpaceError } from './kernelSpaceRules';
import { layoutHintSchema } from './layoutSchema';
import {
  FAULT_LOCK_DESIGNS,
  PROTOCOLS,
  type ScenarioSpec,
  TLB_PRESET_IDS,
  UACCESS_DESIGNS,
} from '../core/spec';

export const MAX_SCENARIO_BYTES = 256 * 1024;

const hexVa = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'a hex address like 0x7f0000001000');
const prot = z.enum(['r', 'rw', 'rx', 'rwx', 'none']);
const flag = z.string().min(1).max(40);
const presetNames = TLB_PRESET_IDS.map((p) => `'${p}'`).join(' or ');
const pageAligned = hexVa.refine((s) => (BigInt(s) & 0xfffn) === 0n, 'page-aligned (ends in 000)');
/** A syscall's length in pages: zero and negative lengths are allowed, the kernel refuses them. */
const syscallPages = z.number().int().min(-4096).max(4096);
const tid = z
  .number()
  .int()
  .min(0)
  .max(1 << 16);
const execVma = z.object({
  start: pageAligned,
  pages: z
    .number()
    .int()
    .min(1)
    .max(1 << 16),
  prot,
  name: z.string().max(40).optional(),
  populate: z.boolean().optional(),
  growsDown: z.boolean().optional(),
});

const op = z.discriminatedUnion('op', [
  z.object({ op: z.literal('read'), va: hexVa }),
  z.object({ op: z.literal('write'), va: hexVa, value: z.number().int().min(0).max(0xffffffff).optional() }),
  z.object({ op: z.literal('mmap'), va: hexVa, pages: syscallPages, prot }),
  z.object({ op: z.literal('munmap'), va: hexVa, pages: syscallPages }),
  z.object({ op: z.literal('mprotect'), va: hexVa, pages: syscallPages, prot }),
  z.object({ op: z.literal('signal'), flag }),
  z.object({ op: z.literal('wait'), flag }),
  z.object({ op: z.literal('sleep'), flag }),
  z.object({ op: z.literal('compute'), cycles: z.number().int().min(1).max(1_000_000) }),
  z.object({
    op: z.literal('fork'),
    child: z
      .number()
      .int()
      .min(1)
      .max(1 << 16),
  }),
  z.object({ op: z.literal('exit') }),
  z.object({ op: z.literal('invlpg'), va: hexVa }),
  z.object({ op: z.literal('brk'), va: hexVa }),
  z.object({ op: z.literal('clone'), tid }),
  z.object({ op: z.literal('exec'), image: z.string().min(1).max(40), vmas: z.array(execVma).max(64) }),
  z.object({
    op: z.literal('recurse'),
    depth: z.number().int().min(1).max(4096),
    frameBytes: z
      .number()
      .int()
      .min(8)
      .max(65536)
      .refine((n) => n % 8 === 0, 'a multiple of 8 (the stack stays 8-byte aligned)'),
  }),
  z.object({ op: z.literal('join'), tid }),
  z.object({ op: z.literal('check'), va: hexVa, expect: z.number().int().min(0).max(0xffffffff) }),
  z.object({
    op: z.literal('kread'),
    va: hexVa.optional(),
    entryOf: hexVa.optional(),
    level: z.enum(['pte', 'pde', 'pdpte', 'pml4e']).optional(),
  }),
  z.object({ op: z.literal('kwrite'), va: hexVa, value: z.number().int().min(0).max(0xffffffff).optional() }),
  z.object({ op: z.literal('vmalloc'), va: hexVa, pages: z.number().int().min(1).max(64) }),
  z.object({ op: z.literal('vunmap'), va: hexVa, pages: z.number().int().min(1).max(64) }),
  // read/write: whole 32-bit words (the file model holds words), at most 64 pages.
  ...(['sys_read', 'sys_write'] as const).map((name) =>
    z.object({
      op: z.literal(name),
      fd: z.number().int().min(0).max(1023),
      va: hexVa.refine((s) => (BigInt(s) & 3n) === 0n, 'a 4-byte-aligned address'),
      len: z
        .number()
        .int()
        .min(0)
        .max(64 * 4096)
        .refine((n) => n % 4 === 0, 'a multiple of 4 bytes'),
    }),
  ),
  z.object({
    op: z.literal('ioctl'),
    va: hexVa.refine((s) => (BigInt(s) & 3n) === 0n, 'a 4-byte-aligned address'),
    limit: z.number().int().min(0).max(4096),
    fetch: z.enum(['twice', 'once']),
  }),
  // A loop: the run's length is still capped where the worker runs it (session MAX_STEPS).
  z.object({
    op: z.literal('repeat'),
    back: z.number().int().min(1).max(10_000),
    times: z.number().int().min(0).max(1_000_000),
  }),
]);

export const scenarioSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and dashes'),
  title: z.string().min(1).max(120),
  summary: z.string().max(2000),
  seed: z.number().int().min(0).max(0xffffffff),
  machine: z.object({
    cores: z.number().int().min(1).max(64),
    // 8 frames: enough for the zero page, one process's four page tables and two pages (swap-out-in).
    frames: z
      .number()
      .int()
      .min(8)
      .max(1 << 20),
    tlb: z
      .object({
        sets: z
          .number()
          .int()
          .min(0)
          .max(4096)
          .refine((n) => (n & (n - 1)) === 0, 'a power of two')
          .optional(),
        ways: z.number().int().min(0).max(64).optional(),
        preset: z
          .string()
          .max(40)
          .refine((p) => (TLB_PRESET_IDS as readonly string[]).includes(p), {
            error: (iss) =>
              iss.input === 'cortex-a76'
                ? `'cortex-a76' is an Arm core's TLB and the simulator models x86-64: use ${presetNames}`
                : `a TLB preset: ${presetNames}`,
          })
          .optional(),
      })
      .superRefine((t, ctx) => {
        if (t.preset !== undefined) {
          if (t.sets !== undefined || t.ways !== undefined)
            ctx.addIssue({
              code: 'custom',
              message: 'either a preset or sets and ways, not both (the preset gives the TLB geometry)',
            });
        } else if (t.sets === undefined || t.ways === undefined) {
          ctx.addIssue({ code: 'custom', message: `sets and ways, or a preset (${presetNames})` });
        }
      }),
    protocol: z.enum(PROTOCOLS),
    kernelHalf: z.boolean().optional(),
    kpti: z.boolean().optional(),
    // A kernel-half slot other than 511 (the kernel image's).
    recursiveSlot: z.number().int().min(256).max(510).optional(),
    uaccess: z.enum(UACCESS_DESIGNS).optional(),
    faultLock: z.enum(FAULT_LOCK_DESIGNS).optional(),
    psc: z
      .union(
        [
          z.boolean(),
          z.strictObject({
            pml4: z.number().int().min(0).max(64),
            pdpt: z.number().int().min(0).max(64),
            pde: z.number().int().min(0).max(256),
          }),
        ],
        { error: 'true, false, or entry counts { pml4: 0-64, pdpt: 0-64, pde: 0-256 }' },
      )
      .optional(),
    swap: z
      .object({
        slots: z.number().int().min(1).max(1024),
        policy: z.enum(['clock', 'fifo', 'lru', 'opt', 'mru']),
      })
      .strict()
      .optional(),
  }),
  processes: z
    .array(
      z.object({
        pid: z
          .number()
          .int()
          .min(1)
          .max(1 << 16),
        name: z.string().min(1).max(40),
        forkOf: z
          .number()
          .int()
          .min(1)
          .max(1 << 16)
          .optional(),
        brk: hexVa.refine((s) => (BigInt(s) & 0xfffn) === 0n, 'page-aligned (ends in 000)').optional(),
        vmas: z
          .array(
            z
              .object({
                start: hexVa.refine((s) => (BigInt(s) & 0xfffn) === 0n, 'page-aligned (ends in 000)'),
                // In 4 KiB pages; large-page VMAs may span up to 4 GiB (they cost one entry per page).
                pages: z
                  .number()
                  .int()
                  .min(1)
                  .max(1 << 20),
                prot,
                name: z.string().max(40).optional(),
                populate: z.boolean().optional(),
                pageSize: z.enum(['4k', '2m', '1g']).optional(),
                growsDown: z.boolean().optional(),
              })
              .refine((v) => (v.pageSize !== undefined && v.pageSize !== '4k' ? true : v.pages <= 1 << 16), {
                message: 'at most 65536 pages of 4 KiB',
                path: ['pages'],
              }),
          )
          .max(256),
      }),
    )
    .min(1)
    .max(64),
  threads: z
    .array(
      z.object({
        tid: z
          .number()
          .int()
          .min(0)
          .max(1 << 16),
        pid: z.number().int().min(1),
        core: z.number().int().min(0).max(63),
        program: z.array(op).max(10_000),
        cloned: z.boolean().optional(),
        stack: z
          .object({
            va: pageAligned,
            pages: z.number().int().min(1).max(256),
            guards: z.boolean().optional(),
          })
          .optional(),
      }),
    )
    .min(1)
    .max(256),
  keyMoments: z
    .array(
      z.object({
        label: z.string().max(120),
        event: z.string().max(40),
        match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      }),
    )
    .max(64),
  files: z
    .array(
      z.object({
        fd: z.number().int().min(0).max(1023),
        name: z.string().min(1).max(40),
        words: z.array(z.number().int().min(0).max(0xffffffff)).max(16_384).optional(),
      }),
    )
    .max(8)
    .optional(),
  layout: layoutHintSchema.optional(),
});

export type ParseResult = { ok: true; spec: ScenarioSpec } | { ok: false; error: string };

/** Validates untrusted scenario JSON text. Never throws. */
export function parseScenario(text: string): ParseResult {
  if (text.length > MAX_SCENARIO_BYTES) {
    return { ok: false, error: `scenario is ${text.length} bytes; the limit is ${MAX_SCENARIO_BYTES}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  return validateScenario(raw);
}

export function validateScenario(raw: unknown): ParseResult {
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'scenario';
    return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  const spec = r.data as ScenarioSpec;
  // The model maps large pages once and never splits them (Linux would split a huge PMD on a
  // partial munmap or mprotect, and copy it on fork): keep such processes to accesses.
  const large = new Set(
    spec.processes.filter((p) => p.vmas.some((v) => v.pageSize && v.pageSize !== '4k')).map((p) => p.pid),
  );
  for (const [i, p] of spec.processes.entries()) {
    if (p.forkOf !== undefined && large.has(p.forkOf))
      return {
        ok: false,
        error: `processes.${i}.forkOf: process ${p.forkOf} has large-page VMAs, which the model cannot fork`,
      };
  }
  for (const [i, t] of spec.threads.entries()) {
    if (large.has(t.pid)) {
      const j = t.program.findIndex((o) => o.op === 'munmap' || o.op === 'mprotect' || o.op === 'fork');
      if (j >= 0)
        return {
          ok: false,
          error: `threads.${i}.program.${j}: process ${t.pid} has large-page VMAs; the model does not split or fork them`,
        };
    }
  }
  for (const [i, t] of spec.threads.entries()) {
    if (t.core >= spec.machine.cores)
      return { ok: false, error: `threads.${i}.core: the machine has ${spec.machine.cores} cores` };
    if (!spec.processes.some((p) => p.pid === t.pid))
      return { ok: false, error: `threads.${i}.pid: no process ${t.pid}` };
  }
  const infeasible = checkBuildable(spec);
  if (infeasible) return { ok: false, error: infeasible };
  const kernelError = kernelSpaceError(spec);
  if (kernelError !== null) return { ok: false, error: kernelError };
  return { ok: true, spec };
}
