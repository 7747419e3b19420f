// Cores and threads: per core what runs there (a thread, or idle, or idle in lazy TLB mode), whose
// address space is loaded (CR3's frame and the PCID), where its TLB stands against the mm's
// tlb_gen, and what interrupts it (in the IPI handler, waiting for acks, IPIs pending); then the
// threads not running, compactly.
import { useShallow } from 'zustand/react/shallow';
import type { CoreView, ProcView, ThreadView } from '../core/view/snapshot';
import { useVm } from '../state';
import { plural } from './format';
import type { TabPanelProps } from './tabs';

const STATE_LABEL: Record<CoreView['state'], string> = {
  idle: 'idle',
  lazy: 'lazy TLB',
  user: 'user',
  spinning: 'spinning',
  kernel: 'kernel',
  interrupt: 'IPI handler',
  waiting: 'waiting',
};

function list(cores: readonly number[]): string {
  return cores.length === 1 ? `core ${cores[0]}` : `cores ${cores.join(', ')}`;
}

/** What the core is doing beyond its state: interrupts first, then its activity. */
function note(c: CoreView): string {
  const parts: string[] = [];
  if (c.state === 'waiting' || c.waitingFor.length > 0)
    parts.push(c.waitingFor.length ? `acks due from ${list(c.waitingFor)}` : 'waiting for acks');
  else if (c.state === 'interrupt') parts.push('flushing its TLB');
  else if (c.activity && c.state !== 'idle' && c.state !== 'lazy') parts.push(c.activity);
  if (c.pendingIpis > 0) parts.push(`${plural(c.pendingIpis, 'IPI')} pending`);
  if (c.state === 'lazy') parts.push('idle; old mm kept');
  if (c.switching) parts.push('switch_mm half done');
  return parts.join(' · ');
}

function procName(pid: number, procs: readonly ProcView[] | undefined): string {
  const name = procs?.find((p) => p.pid === pid)?.name;
  return name ? `${pid} ${name}` : String(pid);
}

function threadText(t: ThreadView): string {
  switch (t.state) {
    case 'sleeping':
      return `sleeping on ${t.flag || 'a flag'}`;
    case 'spinning':
      return t.flag ? `spinning on ${t.flag}` : 'spinning';
    case 'ready':
      return `ready on core ${t.core}`;
    case 'exited':
      return t.exitReason && t.exitReason !== 'exit' ? `exited (${t.exitReason})` : 'exited';
    case 'unborn':
      return 'not forked yet';
    case 'running':
      return `running on core ${t.core}`;
  }
}

export function CoresHead() {
  return <span className="panel-what">who runs where · CR3 · PCID · tlb_gen · IF</span>;
}

export function CoresBody({ tabpanel }: { tabpanel?: TabPanelProps }) {
  const { cores, threads, procs } = useVm(
    useShallow((s) => ({ cores: s.snapshot?.cores, threads: s.snapshot?.threads, procs: s.snapshot?.procs })),
  );
  const running = new Set((cores ?? []).map((c) => c.tid).filter((t) => t >= 0));
  const others = (threads ?? []).filter((t) => !running.has(t.tid));
  return (
    <div className="cores-body" {...tabpanel}>
      <table className="cores-table">
        <thead>
          <tr>
            <th scope="col">Core</th>
            <th scope="col">state</th>
            <th scope="col">thread</th>
            <th scope="col">process</th>
            <th scope="col" title="the frame of the loaded PML4 (CR3)">
              CR3
            </th>
            <th scope="col" className="num">
              PCID
            </th>
            <th scope="col" title="this core's TLB generation / the mm's tlb_gen">
              tlb_gen
            </th>
            <th
              scope="col"
              title="the interrupt flag (RFLAGS.IF): off in the IPI handler and during switch_mm; an IPI waits until it is on"
            >
              IF
            </th>
            <th scope="col">doing</th>
          </tr>
        </thead>
        <tbody>
          {(cores ?? []).map((c) => {
            const behind = c.localGen !== null && c.mmGen !== null && c.localGen < c.mmGen;
            return (
              <tr
                key={c.id}
                data-testid="core-row"
                data-core={c.id}
                data-state={c.state}
                data-waiting-for={c.waitingFor.join(',')}
                title={c.activity}
              >
                <th scope="row" className="cores-name">
                  Core {c.id}
                </th>
                <td>
                  <span className={`core-pill pill-${c.state}`}>{STATE_LABEL[c.state]}</span>
                </td>
                <td className="mono">{c.tid >= 0 ? `T${c.tid}` : '–'}</td>
                <td className="cores-proc">{c.pid >= 0 ? procName(c.pid, procs) : 'kernel'}</td>
                <td className="mono" title={`CR3 = ${c.cr3}`}>
                  {c.cr3Pfn >= 0 ? `frame ${c.cr3Pfn}` : '–'}
                </td>
                <td className="num mono">{c.pid >= 0 ? c.pcid : '–'}</td>
                <td className="mono" data-testid="core-gen">
                  {c.localGen !== null && c.mmGen !== null ? (
                    <>
                      {c.localGen} / {c.mmGen}
                      {behind && <span className="gen-behind">behind</span>}
                    </>
                  ) : (
                    '–'
                  )}
                </td>
                <td className="mono" data-testid="core-if" data-on={c.interruptsOn}>
                  {c.interruptsOn ? 'on' : <span className="if-off">off</span>}
                </td>
                <td
                  className={`cores-note${c.state === 'waiting' || c.state === 'interrupt' ? ' cores-note-hot' : ''}`}
                  data-testid="core-note"
                >
                  {note(c)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {others.length > 0 && (
        <p className="cores-threads" data-testid="threads-idle">
          <span className="cores-threads-head">Not running:</span>{' '}
          {others.map((t) => (
            <span
              key={t.tid}
              className={`thread-chip thread-${t.state}`}
              data-testid="thread"
              data-tid={t.tid}
            >
              <b>T{t.tid}</b> P{t.pid} {threadText(t)}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
