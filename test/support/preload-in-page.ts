// The app's real preload (the built out/preload/index.cjs), run in a Chromium page by the UI tests and the start-up
// bench, in place of Electron's: `require('electron')` gets a contextBridge that sets window.<key>, and an ipcRenderer
// that forwards invoke() to the page binding `__iceInvoke` (wired to the real main-process services) and delivers
// events that the test sends with `window.__iceEmit(name, payload)`. So the pages get exactly the window.iceApi the
// app gets: its channel allow-list, its event checks, its early start-up requests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../src-main/shared/ipc-contract';
import { ROOT } from './paths';

export const BUILT_PRELOAD = path.join(ROOT, 'out/preload/index.cjs');

/** An init script (Page.addScriptToEvaluateOnNewDocument) that runs the built preload; add it after `__iceInvoke`. */
export function preloadInitScript(): string {
  if (!existsSync(BUILT_PRELOAD)) throw new Error(`${BUILT_PRELOAD} is missing: run \`npx electron-vite build\` first`);
  const cjs = readFileSync(BUILT_PRELOAD, 'utf8');
  return `(() => {
  const invoke = window.__iceInvoke;
  const onEvents = [];
  window.__iceEmit = (name, payload) => { for (const l of onEvents) l({}, name, payload); };
  const electron = {
    contextBridge: { exposeInMainWorld: (key, value) => Object.defineProperty(window, key, { value, enumerable: true }) },
    ipcRenderer: {
      invoke: (channel, ...args) => channel === ${JSON.stringify(INVOKE_CHANNEL)} ? invoke(...args) : Promise.reject(new Error('no such IPC channel: ' + channel)),
      on: (channel, listener) => { if (channel === ${JSON.stringify(EVENT_CHANNEL)}) onEvents.push(listener); },
    },
  };
  const require = (id) => {
    if (id === 'electron') return electron;
    throw new Error('a sandboxed preload can require only electron, not ' + id);
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${cjs}
  })(require, module, module.exports);
})();`;
}
