import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startApp } from '../state';
import { App } from './App';
import './styles.css';
import './dock.css';
import './compare.css';

startApp();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
