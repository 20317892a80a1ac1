// The preload exposes exactly window.iceApi = { invoke, onEvent } over the contract's channels.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENT_CHANNEL, INVOKE_CHANNEL, type IceApi } from '../../src-main/shared/ipc-contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true }));
let eventListener: ((e: unknown, name: unknown, payload: unknown) => void) | null = null;

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, cb: (e: unknown, name: unknown, payload: unknown) => void) => {
      if (channel === EVENT_CHANNEL) eventListener = cb;
    },
  },
}));

let api: IceApi;
beforeAll(async () => {
  await import('../../src-main/electron/preload');
  api = exposed.iceApi as IceApi;
});

describe('preload', () => {
  it('exposes only iceApi, frozen, with invoke and onEvent', () => {
    expect(Object.keys(exposed)).toEqual(['iceApi']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent']);
    expect(Object.isFrozen(api)).toBe(true);
  });
  it('forwards known channels on the one invoke channel, refuses others', async () => {
    await api.invoke('sites.list', {});
    expect(invoke).toHaveBeenCalledWith(INVOKE_CHANNEL, 'sites.list', {});
    for (const c of CHANNELS) await api.invoke(c, {} as never);
    expect(invoke).toHaveBeenCalledTimes(CHANNELS.length + 1);
    await expect(api.invoke('fs.readFile' as never, {} as never)).rejects.toThrow(/Unknown channel/);
    await expect(api.invoke('__proto__' as never, {} as never)).rejects.toThrow(/Unknown channel/);
    expect(invoke).toHaveBeenCalledTimes(CHANNELS.length + 1);
  });
  it('delivers events to subscribers until they unsubscribe; unknown events refused', () => {
    const got: unknown[] = [];
    const off = api.onEvent('live.progress', (p) => got.push(p));
    eventListener?.({}, 'live.progress', { n: 1 });
    eventListener?.({}, 'auth.deviceCode', { n: 2 });
    off();
    eventListener?.({}, 'live.progress', { n: 3 });
    expect(got).toEqual([{ n: 1 }]);
    expect(() => api.onEvent('ipc.raw' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
