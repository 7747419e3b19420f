// The page's entry, kept tiny: it starts the simulation worker at once, so that the worker's
// bundle loads and runs while the app's (much bigger) bundle is still being fetched and run; the
// client adopts that worker (src/state/boot.ts). The styles stay here, in the page's <head>.
import { bootWorker } from '../state/boot';
import './styles.css';
import './dock.css';
import './compare.css';
import './chrome.css';
import './layout.css';

bootWorker();
void import('./mount');
