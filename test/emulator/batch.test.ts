import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './index';
import { graph, iceAppBody } from './test-helpers';

let emu: Emulator;
let token: string;

beforeAll(async () => {
  emu = await startEmulator();
  token = emu.issueToken();
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.resetDirectory();
  emu.faults.clear();
  emu.resetStats();
});

const json = { 'content-type': 'application/json' };

describe('$batch', () => {
  it('runs independent requests, matches responses by id, counts each inner request', async () => {
    emu.seedApplication({ ...iceAppBody(), uniqueName: 'ice' }, { servicePrincipal: true });
    const app = emu.state.applications[0]!;
    const res = await graph(emu, token, 'POST', '/$batch', {
      requests: [
        { id: 'app', method: 'GET', url: "/applications(uniqueName='ice')?$select=id,appId" },
        { id: 'sp', method: 'GET', url: `/servicePrincipals?$filter=appId eq '${String(app.appId)}'` },
        { id: 'me', method: 'GET', url: 'me' },
        { id: 'missing', method: 'GET', url: '/applications/00000000-0000-0000-0000-000000000009' },
      ],
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId.app.status).toBe(200);
    expect(byId.app.body).toMatchObject({ id: app.id, appId: app.appId });
    expect(byId.sp.body.value).toHaveLength(1);
    expect(byId.me.status).toBe(200);
    expect(byId.missing.status).toBe(404);
    expect(byId.missing.body.error.code).toBe('Request_ResourceNotFound');
    expect(emu.stats.roundTrips).toBe(1);
    expect(emu.stats.batches).toBe(1);
    expect(emu.stats.graphRequests).toBe(4);
    expect(emu.stats.log.filter((l) => l.batchItem).map((l) => l.batchItem).sort()).toEqual(['app', 'me', 'missing', 'sp']);
  });

  it('dependsOn orders writes; a failed dependency answers 424', async () => {
    const res = await graph(emu, token, 'POST', '/$batch', {
      requests: [
        { id: '1', method: 'PATCH', url: "/applications(uniqueName='ice')", headers: { ...json, Prefer: 'create-if-missing' }, body: iceAppBody() },
        { id: '2', method: 'PATCH', url: "/applications(uniqueName='ice')", headers: json, body: { notes: 'after create' }, dependsOn: ['1'] },
        { id: '3', method: 'POST', url: '/applications', headers: json, body: { displayName: 'bad', spa: { redirectUris: ['http://insecure.example.com/sso'] } } },
        { id: '4', method: 'GET', url: '/me', dependsOn: ['3'] },
      ],
    });
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId['1'].status).toBe(201);
    expect(byId['2'].status).toBe(204);
    expect(byId['2'].body).toBeUndefined();
    expect(byId['3'].status).toBe(400);
    expect(byId['4'].status).toBe(424);
    expect(emu.state.applications).toHaveLength(1);
    expect(emu.state.applications[0]!.notes).toBe('after create');
  });

  it('rejects more than 20 requests, duplicate ids, writes without Content-Type, unknown dependsOn, versioned urls', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    expect((await graph(emu, token, 'POST', '/$batch', { requests: many })).status).toBe(400);
    const dup = await graph(emu, token, 'POST', '/$batch', { requests: [{ id: 'a', method: 'GET', url: '/me' }, { id: 'a', method: 'GET', url: '/me' }] });
    expect(dup.status).toBe(400);
    const noCt = await graph(emu, token, 'POST', '/$batch', { requests: [{ id: 'a', method: 'POST', url: '/applications', body: { displayName: 'x' } }] });
    expect(noCt.status).toBe(400);
    expect(noCt.body.error.message).toContain('Content-Type');
    const dep = await graph(emu, token, 'POST', '/$batch', { requests: [{ id: 'a', method: 'GET', url: '/me', dependsOn: ['zz'] }] });
    expect(dep.status).toBe(400);
    const versioned = await graph(emu, token, 'POST', '/$batch', { requests: [{ id: 'a', method: 'GET', url: '/v1.0/me' }] });
    expect(versioned.status).toBe(200);
    expect(versioned.body.responses[0].status).toBe(400);
    expect(emu.state.applications).toHaveLength(0);
  });

  it('applies faults and rules per inner request (an inner 429 with Retry-After)', async () => {
    emu.faults.throttle(0.2, { path: '/applications', where: 'inner' });
    const res = await graph(emu, token, 'POST', '/$batch', {
      requests: [
        { id: 'a', method: 'GET', url: '/applications' },
        { id: 'b', method: 'GET', url: '/me' },
      ],
    });
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId.a.status).toBe(429);
    expect(byId.a.headers['retry-after']).toBe('0.2');
    expect(byId.b.status).toBe(200);
  });

  it('checks the token once for the whole batch', async () => {
    const res = await graph(emu, 'not-a-token', 'POST', '/$batch', { requests: [{ id: 'a', method: 'GET', url: '/me' }] });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('InvalidAuthenticationToken');
  });
});
