// The address bit-slicer: the step's virtual address cut into the x86-64 index fields and the
// offset, each in its level's colour (the same colour marks that level's table in the tree), and
// the physical address the leaf entry produced. With a large page the low fields merge into one
// wider offset, as the hardware reads them (SDM 4.5).
import { useVm } from '../state';

const LEVELS = [
  { level: 5, name: 'PML5', hi: 56, lo: 48 },
  { level: 4, name: 'PML4', hi: 47, lo: 39 },
  { level: 3, name: 'PDPT', hi: 38, lo: 30 },
  { level: 2, name: 'PD', hi: 29, lo: 21 },
  { level: 1, name: 'PT', hi: 20, lo: 12 },
] as const;

function field(va: bigint, hi: number, lo: number): bigint {
  return (va >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

export function BitSlicer() {
  const access = useVm((s) => s.snapshot?.access ?? null);
  // 4 or 5 levels (LA57, SDM 4.5): the depth of the page tables shown.
  const top = useVm((s) => s.snapshot?.walk?.levels[0]?.level ?? s.snapshot?.procs[0]?.root.level ?? 4);
  if (!access) {
    return (
      <div className="bitslicer bitslicer-empty" data-testid="panel-bitslicer">
        No memory access in this step.
      </div>
    );
  }
  const va = BigInt(access.va);
  // A leaf at level 2 or 3 maps a 2 MiB or 1 GiB page: the fields below it are offset bits.
  const leaf = access.leafLevel ?? 1;
  const offsetBits = 12 + 9 * (leaf - 1);
  const indices = LEVELS.filter((l) => l.level >= leaf && l.level <= top);
  const offset = field(va, offsetBits - 1, 0);
  return (
    <div className="bitslicer" data-testid="panel-bitslicer">
      <div className="bits-head">
        VA <span className="bits-va mono">{access.va}</span>
        {access.pa !== null && (
          <>
            {' '}
            → PA <span className="bits-va mono">{access.pa}</span>
          </>
        )}
      </div>
      <div className="bits-row">
        {indices.map((l) => (
          <span
            key={l.level}
            className={`bits-field lvl-${l.level}`}
            data-testid="bits-field"
            data-level={l.level}
          >
            <span className="bits-name">{l.name}</span>
            <span className="bits-range">{`${l.hi}:${l.lo}`}</span>
            <span className="bits-val mono">{String(field(va, l.hi, l.lo))}</span>
          </span>
        ))}
        <span className="bits-field lvl-off" data-testid="bits-field" data-level={0}>
          <span className="bits-name">offset</span>
          <span className="bits-range">{`${offsetBits - 1}:0`}</span>
          <span className="bits-val mono">0x{offset.toString(16)}</span>
        </span>
      </div>
      <div className="bits-pa" data-testid="bits-pa">
        {access.pa === null ? (
          <span>no PA: the access faulted or waits</span>
        ) : (
          <span>
            = frame <span className="mono">{String(BigInt(access.pa) >> 12n)}</span> · page offset{' '}
            <span className="mono">0x{(BigInt(access.pa) & 0xfffn).toString(16)}</span>
            {leaf > 1 ? ` (in a ${leaf === 3 ? '1 GiB' : '2 MiB'} page)` : ''}
          </span>
        )}
      </div>
    </div>
  );
}
