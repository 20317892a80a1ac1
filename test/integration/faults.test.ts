// Each fault the emulator can inject is survived, or reported clearly.
import { afterEach, describe, expect, it } from 'vitest';
import { ApplyInterruptedError, apply, verify } from '../../src-main/graph/engine';
import { GraphRequestError } from '../../src-main/graph/errors';
import type { Emulator } from '../emulator/index';
import { badSteps, emulator, session, settingsFor } from '../support/emulator';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function applyEmpty(consent: 'users' | 'admins' = 'users') {
  const settings = settingsFor(emu!, { consent });
  const s = await session(emu!, { action: 'apply', consent });
  return { s, settings, run: () => apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants }) };
}

describe('faults', () => {
  it('latency: still 3 round trips, each paying the latency once', async () => {
    emu = await emulator();
    const { run } = await applyEmpty();
    emu.faults.latency(150, { host: 'graph' });
    const t0 = Date.now();
    const r = await run();
    const ms = Date.now() - t0;
    expect(badSteps(r.steps)).toEqual([]);
    expect(r.stats.roundTrips).toBe(3);
    expect(ms).toBeGreaterThanOrEqual(3 * 150);
    expect(ms).toBeLessThan(3 * 150 + 1500);
  });

  it('429 with Retry-After: waits as asked and finishes', async () => {
    emu = await emulator();
    const { run } = await applyEmpty();
    emu.faults.throttle(1, { host: 'graph', method: 'PATCH', count: 1, where: 'outer' });
    const t0 = Date.now();
    const r = await run();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(r.stats.retries).toBe(1);
    expect(r.stats.waitedMs).toBe(1000);
    expect(badSteps(r.steps)).toEqual([]);
    expect(emu.state.applications).toHaveLength(1);
  });

  it('429 inside a $batch: only that inner request is sent again', async () => {
    emu = await emulator();
    const { run } = await applyEmpty();
    emu.faults.throttle(1, { host: 'graph', method: 'POST', path: '/servicePrincipals', count: 1, where: 'inner' });
    const r = await run();
    expect(badSteps(r.steps)).toEqual([]);
    expect(r.stats.graphRequests).toBe(8); // 5 + the look-ups by tag and SPA redirect URI in the first batch + the retried inner POST
    expect(emu.state.servicePrincipals.filter((sp) => sp.appId === r.app.appId)).toHaveLength(1);
  });

  it('503 and 504: retried with backoff', async () => {
    emu = await emulator();
    const { run } = await applyEmpty();
    emu.faults.error(503, { host: 'graph', count: 1, where: 'outer' });
    emu.faults.error(504, { host: 'graph', path: '/$batch', count: 1, where: 'outer' });
    const r = await run();
    expect(r.stats.retries).toBe(2);
    expect(badSteps(r.steps)).toEqual([]);
  });

  it('503 for ever: gives up after bounded attempts with a clear message', async () => {
    emu = await emulator();
    const settings = settingsFor(emu);
    const s = await session(emu, { action: 'apply', consent: 'users' }, { retry: { throttleBaseMs: 50, throttleAttempts: 3 } });
    emu.faults.error(503, { host: 'graph', count: 100 });
    const err = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: false }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err.message).toMatch(/Graph stayed busy .*\(503\).*try again/);
    expect(s.graph.stats.httpRequests).toBe(3);
  });

  it('replication lag after the create: the dependent writes wait and succeed', async () => {
    emu = await emulator();
    const { run } = await applyEmpty('admins');
    emu.faults.replicationLag({ ms: 1200 }, { host: 'graph' });
    const r = await run();
    expect(badSteps(r.steps)).toEqual([]);
    expect(r.stats.retries).toBeGreaterThan(0);
    expect(emu.state.applications).toHaveLength(1);
    expect(emu.state.servicePrincipals.filter((sp) => sp.appId === r.app.appId)).toHaveLength(1);
  });

  it('403 for a user without the role names the role and the permission', async () => {
    emu = await emulator();
    emu.signInAs('user');
    emu.state.preConsentedScopes.push('Application.ReadWrite.All', 'Application.Read.All', 'Directory.Read.All');
    const { run } = await applyEmpty();
    const err = await run().catch((e) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/lacks the role.*\(the token does carry Application\.ReadWrite\.All\).*Application Administrator or Cloud Application Administrator/);
    expect(emu.state.applications).toHaveLength(0);
  });

  it('403 for a token without the permission says which permission is missing', async () => {
    emu = await emulator();
    const settings = settingsFor(emu, { consent: 'admins' });
    const s = await session(emu, { action: 'apply', consent: 'users' }); // asks no DelegatedPermissionGrant.ReadWrite.All
    const err = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: false }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/POST \/oauth2PermissionGrants.*lacks the delegated permission DelegatedPermissionGrant\.ReadWrite\.All \(it has .*Application\.ReadWrite\.All/);
  });

  it('a dropped connection on a read is retried', async () => {
    emu = await emulator();
    const { run } = await applyEmpty();
    emu.faults.drop({ host: 'graph', path: '/$batch', count: 1, where: 'outer' });
    const r = await run();
    expect(badSteps(r.steps)).toEqual([]);
    expect(r.stats.httpRequests).toBe(4);
  });

  it('a dropped connection on the idempotent create is retried without a second app', async () => {
    emu = await emulator();
    const { run } = await applyEmpty();
    emu.faults.drop({ host: 'graph', method: 'PATCH', count: 1, phase: 'after', where: 'outer' });
    const r = await run();
    expect(badSteps(r.steps)).toEqual([]);
    expect(emu.state.applications).toHaveLength(1);
  });

  it('a dropped connection on a non-idempotent write is reported, and a re-run finishes the job', async () => {
    emu = await emulator();
    const { run, s, settings } = await applyEmpty('admins');
    emu.faults.drop({ host: 'graph', method: 'POST', path: '/oauth2PermissionGrants', count: 1, phase: 'after', where: 'outer' });
    const err = await run().catch((e) => e);
    // The write's answer was lost, but Graph had applied it: apply reads Graph again and says so, write by write.
    expect(err).toBeInstanceOf(ApplyInterruptedError);
    expect(err.cause).toBeInstanceOf(GraphRequestError);
    expect(err.cause.outcomeUnknown).toBe(true);
    expect(err.cause.message).toMatch(/connection to Graph dropped during POST \/oauth2PermissionGrants.*run again/);
    expect(err.cancelled).toBe(false);
    expect(err.outcomes.find((o: { key: string }) => o.key === 'admin-consent')).toMatchObject({ applied: true });
    expect(err.outcomes.find((o: { key: string }) => o.key === 'create-app')).toMatchObject({ applied: true });
    expect(err.message).toMatch(/Graph was read again/);
    const r = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: true });
    expect(badSteps(r.steps)).toEqual([]);
    const spId = r.app.servicePrincipalId;
    expect(emu.state.oauth2PermissionGrants.filter((g) => g.clientId === spId)).toHaveLength(1);
  });

  it('cancel (AbortSignal) stops a run during a Retry-After wait', async () => {
    emu = await emulator();
    const settings = settingsFor(emu);
    const s = await session(emu, { action: 'verify' });
    emu.faults.throttle(20, { host: 'graph' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const err = await verify(s.graph, { settings, tenantId: s.tenantId, readGrants: true, signal: ac.signal }).catch((e) => e);
    expect(err.kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('adopting what exists', () => {
  it('a service principal that exists but was not seen (read lag) is adopted, not duplicated', async () => {
    emu = await emulator();
    const settings = settingsFor(emu);
    const s = await session(emu, { action: 'apply', consent: 'users' });
    const first = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: false });
    const spId = first.app.servicePrincipalId;
    // The next read does not see the service principal (as if it had not replicated yet): the plan POSTs it again.
    emu.faults.add({ kind: 'error', status: 404, code: 'Request_ResourceNotFound', path: '/servicePrincipals(appId=', method: 'GET', count: 1, where: 'inner' });
    const r = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: false, hint: { objectId: first.app.objectId, appId: first.app.appId } });
    expect(r.plan.writes.map((w) => w.key)).toEqual(['create-service-principal']);
    expect(r.app.servicePrincipalId).toBe(spId);
    expect(badSteps(r.steps)).toEqual([]);
    expect(emu.state.servicePrincipals.filter((x) => x.appId === first.app.appId)).toHaveLength(1);
  });
});
