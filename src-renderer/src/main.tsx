// First: the first screen's requests (the preload sent them as the page started) are taken before React renders.
import './ipc/startup';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './api';
import './global.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    {window.iceApi ? (
      <App />
    ) : (
      <p style={{ fontFamily: 'sans-serif', padding: 24 }}>
        The app could not connect to its main process (the preload script did not load). Reinstall the app; if you
        built it yourself, check that out/preload/index.cjs exists.
      </p>
    )}
  </StrictMode>,
);
