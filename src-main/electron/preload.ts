// The preload (sandboxed): exposes window.iceApi = the IPC contract and nothing else. No raw ipcRenderer,
// no Node. Unknown channels and events are refused here, and again in main.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, EVENTS, EVENT_CHANNEL, INVOKE_CHANNEL, type IceApi } from '../shared/ipc-contract';
import { holdStartupRequests } from '../shared/startup-requests';

const channels = new Set<string>(CHANNELS);
const events = new Set<string>(EVENTS);
const listeners = new Map<string, Set<(payload: unknown) => void>>();
// The first screen's requests leave now, while the page is still loading (see startup-requests.ts).
const toMain = holdStartupRequests((channel, req) => ipcRenderer.invoke(INVOKE_CHANNEL, channel, req));

ipcRenderer.on(EVENT_CHANNEL, (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  const set = listeners.get(name);
  if (!set) return;
  for (const cb of [...set]) {
    try {
      cb(payload);
    } catch {
      // a failing listener must not stop the others
    }
  }
});

const api: IceApi = {
  invoke(channel, req) {
    if (typeof channel !== 'string' || !channels.has(channel)) {
      return Promise.reject(new Error(`Unknown channel: ${String(channel)}`));
    }
    return toMain(channel, req) as ReturnType<IceApi['invoke']>;
  },
  onEvent(name, cb) {
    if (typeof name !== 'string' || !events.has(name)) throw new Error(`Unknown event: ${String(name)}`);
    if (typeof cb !== 'function') throw new Error('onEvent needs a callback');
    const fn = cb as (payload: unknown) => void;
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  },
};

contextBridge.exposeInMainWorld('iceApi', Object.freeze(api));
