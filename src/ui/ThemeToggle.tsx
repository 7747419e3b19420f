// The header's light / dark switch (a toggle button: pressed = dark). The choice is remembered
// (src/state/theme.ts).
import { setTheme, useTheme } from '../state';

export function ThemeToggle() {
  const theme = useTheme((s) => s.theme);
  const dark = theme === 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      data-testid="theme-toggle"
      aria-pressed={dark}
      title={dark ? 'Switch to the light theme' : 'Switch to the dark theme'}
      onClick={() => setTheme(dark ? 'light' : 'dark')}
    >
      <span aria-hidden="true">{dark ? '☾' : '☀'}</span> Dark
    </button>
  );
}
