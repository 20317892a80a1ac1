// The preload as it ships (out/preload/index.cjs, built by electron-vite), run with a stand-in for Electron's
// sandboxed `require('electron')`: it needs nothing but electron, carries the contract's names (not its schemas),
// sends the first screen's requests at once, and lets through exactly the contract's channels and events.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS, EVENT_CHANNEL, INVOKE_CHANNEL, type IceApi } from '../../src-main/shared/ipc-contract';
import { STARTUP_REQUESTS } from '../../src-main/shared/startup-requests';
import { ROOT } from '../support/paths';
import { BUILT_PRELOAD } from '../support/preload-in-page';

function loadPreload() {
  const required: string[] = [];
  const sent: unknown[][] = [];
  const on = new Map<string, (...a: unknown[]) => void>();
  const exposed: Record<string, unknown> = {};
  const electron = {
    contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        sent.push(args);
        return Promise.resolve({ ok: true, args });
      },
      on: (channel: string, l: (...a: unknown[]) => void) => on.set(channel, l),
    },
  };
  const module = { exports: {} };
  const require = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  vm.runInNewContext(`(function (require, module, exports) {${readFileSync(BUILT_PRELOAD, 'utf8')}\n})`, { Promise, Error, Object, Map, Set, JSON, Date, String })(require, module, module.exports);
  return { required, sent, on, api: exposed.iceApi as IceApi };
}

describe('the built preload', () => {
  beforeAll(() => {
    if (existsSync(BUILT_PRELOAD)) return;
    const b = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('electron-vite build failed');
  }, 120_000);

  it('requires only electron and carries no schema library (it runs before the page, at every start)', () => {
    const p = loadPreload();
    expect(p.required).toEqual(['electron']);
    const size = readFileSync(BUILT_PRELOAD).length;
    expect(size).toBeLessThan(4_000);
    expect(readFileSync(BUILT_PRELOAD, 'utf8')).not.toMatch(/zod|safeParse|\$ZodType/);
  });

  it('sends the first screen’s requests as soon as it runs, and the first identical call gets that answer', async () => {
    const p = loadPreload();
    expect(p.sent).toEqual(STARTUP_REQUESTS.map(([c, r]) => [INVOKE_CHANNEL, c, r]));
    await p.api.invoke('sites.list', {});
    expect(p.sent).toHaveLength(STARTUP_REQUESTS.length);
    await p.api.invoke('sites.list', {});
    expect(p.sent).toHaveLength(STARTUP_REQUESTS.length + 1);
  });

  it('lets through every channel of the contract and nothing else', async () => {
    const p = loadPreload();
    for (const c of CHANNELS) await expect(p.api.invoke(c, {} as never)).resolves.toMatchObject({ ok: true });
    for (const bad of ['nope', '__proto__', 'constructor', 'toString', '', 42, null]) {
      await expect(p.api.invoke(bad as never, {} as never)).rejects.toThrow(/Unknown channel/);
    }
    expect(p.sent.every((a) => a[0] === INVOKE_CHANNEL)).toBe(true);
  });

  it('delivers the contract’s events only, and one failing listener does not stop the others', () => {
    const p = loadPreload();
    const got: unknown[] = [];
    for (const e of EVENTS) {
      p.api.onEvent(e, () => {
        throw new Error('listener bug');
      });
      p.api.onEvent(e, (payload) => got.push([e, payload]));
    }
    expect(() => p.api.onEvent('nope' as never, () => undefined)).toThrow(/Unknown event/);
    const deliver = p.on.get(EVENT_CHANNEL)!;
    for (const e of EVENTS) deliver({}, e, { n: 1 });
    deliver({}, 'nope', {});
    deliver({}, 42, {});
    expect(got).toEqual(EVENTS.map((e) => [e, { n: 1 }]));
  });
});
