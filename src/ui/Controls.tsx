// Transport controls: back / play-pause / step, speed, the scrubber with key-moment markers,
// "next fault" / "next IPI", and the step counter. Buttons do not take focus on mouse down, so
// the keyboard shortcuts (Right, Left, Space) keep working after a click.
import { type ChangeEvent, type CSSProperties, type MouseEvent, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EventMarks } from '../core/view/eventMarks';
import type { KeyMomentAt } from '../core/view/snapshot';
import {
  isArch,
  isImage,
  jumpKeyMoment,
  isOstep,
  isPolicy,
  positionOf,
  runUntil,
  SPEEDS,
  seek,
  setSpeed,
  stepBack,
  stepForward,
  togglePlay,
  useVm,
} from '../state';
import { BreakpointsMenu } from './BreakpointsMenu';
import { EventTicks } from './EventTicks';

const keepFocus = (e: MouseEvent) => e.preventDefault();

interface MomentGroup {
  step: number;
  labels: string[];
}

function groupMoments(moments: readonly KeyMomentAt[]): MomentGroup[] {
  const out: MomentGroup[] = [];
  for (const m of moments) {
    const g = out.find((x) => x.step === m.step);
    if (g) g.labels.push(m.label);
    else out.push({ step: m.step, labels: [m.label] });
  }
  return out.sort((a, b) => a.step - b.step);
}

function Scrubber({
  step,
  end,
  moments,
  marks,
  stoppedBy,
}: {
  step: number;
  end: number;
  moments: readonly KeyMomentAt[];
  marks: EventMarks | undefined;
  stoppedBy: string | null;
}) {
  // While dragging, show where the thumb is until the worker's snapshot catches up.
  const [pending, setPending] = useState<number | null>(null);
  useEffect(() => {
    if (pending !== null && pending === step) setPending(null);
  }, [pending, step]);
  const groups = groupMoments(moments);
  const value = pending ?? step;
  const current = [...groups].reverse().find((g) => g.step <= value);
  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    const v = Number(e.currentTarget.value);
    setPending(v);
    seek(v);
  };
  return (
    <div className="scrub">
      <div className="marks">
        {groups.map((g) => {
          const style = { '--p': String(end > 0 ? g.step / end : 0) } as CSSProperties;
          const label = g.labels.join(' · ');
          return (
            <button
              key={g.step}
              type="button"
              className={`mark${g.step === value ? ' mark-now' : ''}${g.step < value ? ' mark-past' : ''}`}
              style={style}
              onMouseDown={keepFocus}
              onClick={() => seek(g.step)}
              aria-label={`Key moment at step ${g.step}: ${label}`}
              data-testid="key-moment"
              data-step={g.step}
            >
              <span className="mark-tip">
                {g.step}: {label}
              </span>
            </button>
          );
        })}
      </div>
      <input
        type="range"
        className="scrubber"
        data-testid="scrubber"
        aria-label="Step"
        min={0}
        max={end}
        step={1}
        value={value}
        onChange={onChange}
        onPointerUp={() => setPending(null)}
      />
      <EventTicks marks={marks} end={end} />
      <div className="moment-row">
        {/* Markers of nearby steps overlap on a long run; these reach every moment in turn. */}
        <button
          type="button"
          className="moment-jump"
          data-testid="btn-prev-moment"
          aria-label="Previous key moment"
          title="Previous key moment (Shift+Left)"
          onMouseDown={keepFocus}
          onClick={() => jumpKeyMoment(-1)}
          disabled={!groups.some((g) => g.step < value)}
        >
          ◀
        </button>
        <button
          type="button"
          className="moment-jump"
          data-testid="btn-next-moment"
          aria-label="Next key moment"
          title="Next key moment (Shift+Right)"
          onMouseDown={keepFocus}
          onClick={() => jumpKeyMoment(1)}
          disabled={!groups.some((g) => g.step > value)}
        >
          ▶
        </button>
        <div className="moment-caption" data-testid="moment-caption">
          {stoppedBy ? (
            <span className="bp-hit" data-testid="breakpoint-hit">
              Stopped at a {stoppedBy}
            </span>
          ) : current ? (
            <>
              <span className={current.step === value ? 'moment-now' : 'moment-past'}>
                {current.step === value ? 'Key moment' : `Since step ${current.step}`}:
              </span>{' '}
              {current.labels.join(' · ')}
            </>
          ) : (
            <span className="moment-past">Key moments are marked on the scrubber</span>
          )}
        </div>
      </div>
    </div>
  );
}

export function Controls() {
  // The scenario's snapshot or, in the OSTEP lesson and the machine-image view, their view: the
  // same controls drive all three (those two have no IPIs).
  const { step, end, done, moments, playing, speed, ready, noIpis, marks, stoppedBy } = useVm(
    useShallow((s) => {
      const p = positionOf(s);
      return {
        step: p.step,
        end: p.end,
        done: p.done,
        moments: p.keyMoments,
        playing: s.playing,
        speed: s.speed,
        ready: p.ready,
        noIpis: isOstep(s) || isImage(s) || isPolicy(s) || isArch(s),
        marks: s.snapshot?.eventMarks,
        stoppedBy: s.breakpointHit,
      };
    }),
  );
  const atEnd = done || step >= end;
  const onSpeed = (e: ChangeEvent<HTMLSelectElement>) => {
    setSpeed(Number(e.currentTarget.value));
    e.currentTarget.blur();
  };
  return (
    <nav className="controls" aria-label="Playback">
      <div className="transport">
        <button
          type="button"
          data-testid="btn-back"
          onMouseDown={keepFocus}
          onClick={() => stepBack()}
          disabled={!ready || step <= 0}
          aria-keyshortcuts="ArrowLeft"
          title="Step back (Left arrow)"
        >
          ◀ Back
        </button>
        <button
          type="button"
          className="btn-primary btn-play"
          data-testid="btn-play"
          onMouseDown={keepFocus}
          onClick={() => togglePlay()}
          disabled={!ready}
          aria-keyshortcuts="Space"
          aria-pressed={playing}
          title="Play / pause (Space)"
        >
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button
          type="button"
          className="btn-primary"
          data-testid="btn-step"
          onMouseDown={keepFocus}
          onClick={() => stepForward()}
          disabled={!ready || atEnd}
          aria-keyshortcuts="ArrowRight"
          title="Step forward (Right arrow)"
        >
          Step ▶
        </button>
        <label className="speed">
          <span>Speed</span>
          <select data-testid="speed" value={speed} onChange={onSpeed} aria-label="Steps per second">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}/s
              </option>
            ))}
          </select>
        </label>
      </div>
      <Scrubber
        step={step}
        end={end}
        moments={moments}
        marks={noIpis ? undefined : marks}
        stoppedBy={stoppedBy}
      />
      <div className="jumps">
        <button
          type="button"
          data-testid="btn-next-fault"
          onMouseDown={keepFocus}
          onClick={() => runUntil('fault')}
          disabled={!ready || atEnd}
        >
          Next fault
        </button>
        {!noIpis && (
          <button
            type="button"
            data-testid="btn-next-ipi"
            onMouseDown={keepFocus}
            onClick={() => runUntil('ipi')}
            disabled={!ready || atEnd}
          >
            Next IPI
          </button>
        )}
        {!noIpis && <BreakpointsMenu />}
      </div>
      <div className="counter" aria-live="off">
        <span className="counter-label">Step</span>{' '}
        <span className="counter-num" data-testid="step-counter">
          {ready ? step : ''}
        </span>{' '}
        <span className="counter-of">of {ready ? end : '…'}</span>
      </div>
    </nav>
  );
}
