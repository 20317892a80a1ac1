// The preload's early start-up requests (src-main/shared/startup-requests.ts): sent at once, each answer used once,
// by the first identical request, and only while fresh; everything else goes to main as usual.
import { describe, expect, it } from 'vitest';
import { HOLD_MS, STARTUP_REQUESTS, holdStartupRequests } from '../../src-main/shared/startup-requests';

function recorder(refuseSitesList = false) {
  const sent: Array<[string, unknown]> = [];
  let n = 0;
  const invoke = (channel: string, req: unknown) => {
    sent.push([channel, req]);
    n += 1;
    if (channel === 'auth.status' && n === 2) return Promise.reject(new Error('bridge down'));
    if (channel === 'sites.list' && n === 3 && refuseSitesList) return Promise.resolve({ ok: false, code: 'request.refused', message: 'refused' });
    return Promise.resolve({ ok: true, channel, n });
  };
  return { sent, invoke };
}

describe('start-up requests held by the preload', () => {
  it('sends the first screen’s requests at once, before anything asks', () => {
    const r = recorder();
    holdStartupRequests(r.invoke);
    expect(r.sent).toEqual(STARTUP_REQUESTS.map(([c, q]) => [c, q]));
    expect(r.sent.map(([c]) => c)).toEqual(['app.info', 'auth.status', 'sites.list']);
  });

  it('answers the first identical request from what it holds, once; the next asks main again', async () => {
    const r = recorder();
    const invoke = holdStartupRequests(r.invoke);
    await expect(invoke('sites.list', {})).resolves.toEqual({ ok: true, channel: 'sites.list', n: 3 });
    expect(r.sent).toHaveLength(3);
    await expect(invoke('sites.list', {})).resolves.toEqual({ ok: true, channel: 'sites.list', n: 4 });
    // A different request on the same channel, or another channel, is never served from the held answers.
    await expect(invoke('sites.open', { id: 'x' })).resolves.toMatchObject({ channel: 'sites.open' });
    expect(r.sent.slice(3)).toEqual([
      ['sites.list', {}],
      ['sites.open', { id: 'x' }],
    ]);
  });

  it('a failed early request is not used (never an unhandled rejection either): main is asked again', async () => {
    const r = recorder();
    const invoke = holdStartupRequests(r.invoke);
    await new Promise((res) => setTimeout(res, 5)); // an unhandled rejection would have surfaced by now
    await expect(invoke('auth.status', {})).resolves.toEqual({ ok: true, channel: 'auth.status', n: 4 });
    expect(r.sent.map(([c]) => c)).toEqual(['app.info', 'auth.status', 'sites.list', 'auth.status']);
  });

  it('a refused early answer (the sender check, while the new page was not yet known) is not used: asked again', async () => {
    const r = recorder(true);
    const invoke = holdStartupRequests(r.invoke);
    await expect(invoke('sites.list', {})).resolves.toEqual({ ok: true, channel: 'sites.list', n: 4 });
  });

  it('an answer held longer than HOLD_MS is not used: main is asked again', async () => {
    const r = recorder();
    let t = 1_000;
    const invoke = holdStartupRequests(r.invoke, () => t);
    t += HOLD_MS + 1;
    await expect(invoke('app.info', {})).resolves.toEqual({ ok: true, channel: 'app.info', n: 4 });
  });
});
