// Deep copy of machine state for checkpoints. The state is plain data (objects, arrays, Maps,
// typed arrays), so this is all a checkpoint needs; it keeps the core free of host APIs such as
// structuredClone, which the core's no-DOM lib does not declare.

/**
 * Objects that never change during a run (the scenario spec, thread programs): every checkpoint
 * shares them instead of copying them. A 16-core load test spent most of its time copying its
 * own 100,000-operation programs into each checkpoint before this.
 */
const immutable = new WeakSet<object>();

export function shareInClones<T extends object>(value: T): T {
  immutable.add(value);
  return value;
}

/** `replace`: objects to put in the copy as given instead of copying them (already copied). */
export function deepClone<T>(value: T, replace?: ReadonlyMap<object, unknown>): T {
  return cloneAny(value, replace) as T;
}

function cloneAny(v: unknown, replace?: ReadonlyMap<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (immutable.has(v)) return v;
  if (replace?.has(v)) return replace.get(v);
  if (ArrayBuffer.isView(v)) {
    return (v as unknown as { slice(): unknown }).slice();
  }
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneAny(v[i], replace);
    return out;
  }
  if (v instanceof Map) {
    const out = new Map();
    for (const [k, x] of v) out.set(k, cloneAny(x, replace));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = cloneAny((v as Record<string, unknown>)[k], replace);
  return out;
}
