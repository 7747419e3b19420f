// The page's entry, kept tiny: it starts the simulation worker at once, so that the worker's
// bundle loads and runs while the app's (much bigger) bundle is still being fetched and run; the
// client adopts that worker (src/state/boot.ts). The styles stay here, in the page's <head>.
import { bootWorker } from '../state/boot';
import { initTheme } from '../state/theme';
import './styles.css';
import './dock.css';
import './compare.css';
import './chrome.css';
import './layout.css';

bootWorker(undefined, window.location.hash);
// Here rather than in mount.tsx: the first read of localStorage waits for the browser (a sync
// call that can take tens of milliseconds), which costs nothing while the app's bundle loads; and
// the page has its colours before the first render.
initTheme();
void import('./mount');
