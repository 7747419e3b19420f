// Light or dark: the choice made with the header's toggle, remembered in localStorage; without
// one, the system's `prefers-color-scheme`. The theme is applied as `data-theme` on <html>, where
// styles.css switches its colour variables.
import { create } from 'zustand';

export type Theme = 'light' | 'dark';

export const THEME_KEY = 'vmscope.theme';

/** A remembered choice wins; else the system's preference. */
export function pickTheme(stored: string | null, prefersDark: boolean): Theme {
  if (stored === 'light' || stored === 'dark') return stored;
  return prefersDark ? 'dark' : 'light';
}

export const useTheme = create<{ theme: Theme }>()(() => ({ theme: 'light' }));

function stored(): string | null {
  try {
    return window.localStorage.getItem(THEME_KEY);
  } catch {
    return null; // storage blocked (a privacy setting): the system's preference then
  }
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  useTheme.setState({ theme });
}

/** Applies the remembered or preferred theme; follows the system while no choice is remembered. */
export function initTheme(): void {
  if (typeof window === 'undefined') return;
  const mq =
    typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  apply(pickTheme(stored(), mq?.matches ?? false));
  mq?.addEventListener('change', (e) => {
    if (stored() === null) apply(e.matches ? 'dark' : 'light');
  });
}

/** The header's toggle: applies and remembers the choice. */
export function setTheme(theme: Theme): void {
  apply(theme);
  try {
    window.localStorage.setItem(THEME_KEY, theme);
  } catch {
    // not remembered, still applied
  }
}
