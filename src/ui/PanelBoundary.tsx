// An error boundary around each panel: a panel that throws while it renders shows a small box
// saying so, with a retry button, in the panel's own place in the grid; the other panels, the
// controls and the worker keep going. Never a blank page. (What failed goes to the console as a
// warning: main.tsx's onCaughtError.)
import { Component, type ReactNode } from 'react';
import { useBrokenPanels } from '../state';

interface Props {
  /** A short id (data-testid `panel-failed-<id>`, and the name the test hooks use). */
  id: string;
  /** What the panel is, for the box's heading and accessible name. */
  title: string;
  /** The panel's classes, so the box takes the panel's place in the grid. */
  className: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** Throws while a test hook has broken this panel (see src/state/testHooks.ts); else nothing. */
function TestHookFailure({ id }: { id: string }): null {
  const broken = useBrokenPanels((s) => s.broken.includes(id));
  if (broken) throw new Error(`test hook: the ${id} panel threw`);
  return null;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(messageOf(error)) };
  }

  private retry = (): void => {
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    const { id, title, className, children } = this.props;
    if (error) {
      const headingId = `failed-${id}-title`;
      return (
        <section
          className={`panel panel-failed ${className}`}
          data-testid={`panel-failed-${id}`}
          aria-labelledby={headingId}
        >
          <h2 className="panel-title" id={headingId}>
            {title}
          </h2>
          <div className="failed-box" role="alert">
            <p className="failed-text">
              This panel failed: <span className="failed-message">{messageOf(error)}</span>
            </p>
            <p className="failed-hint">The rest of vmscope keeps working.</p>
            <button type="button" className="failed-retry" data-testid="panel-retry" onClick={this.retry}>
              Retry
            </button>
          </div>
        </section>
      );
    }
    return (
      <>
        <TestHookFailure id={id} />
        {children}
      </>
    );
  }
}
