// The app itself, loaded by main.tsx once the worker is already starting: state, then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followLessonLayout, installTestHooks, startApp } from '../state';
import { App } from './App';
import { PanelBoundary } from './PanelBoundary';

followLessonLayout();
installTestHooks();
startApp();

const root = document.getElementById('root');
if (root) {
  createRoot(root, {
    // A panel's error boundary shows what failed; the console gets a warning, not an error.
    onCaughtError: (error, info) => console.warn('Caught by an error boundary:', error, info.componentStack),
  }).render(
    <StrictMode>
      <PanelBoundary id="app" title="vmscope" className="panel-app">
        <App />
      </PanelBoundary>
    </StrictMode>,
  );
}
