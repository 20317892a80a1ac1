// Issue 8: proof.token binds the token to the tenant. Every tenant of a cloud publishes the same signing keys
// (the emulator signs every token with one key, as Entra ID does), so a valid signature alone proves nothing
// about the tenant: the issuer and tid do.
// Microsoft docs checked for the formats emulated and asserted here:
// - https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference : `iss` is
//   https://sts.windows.net/{tenant id}/ in v1.0 tokens and https://login.microsoftonline.com/{tenant id}/v2.0 in
//   v2.0 tokens; `tid` is the tenant the user signed in to; `exp`/`nbf` bound the validity.
// - https://learn.microsoft.com/entra/identity-platform/access-tokens : requestedAccessTokenVersion null (or 1)
//   gives v1.0 tokens, 2 gives v2.0; validate the issuer against the OpenID metadata's issuer (multi-tenant
//   metadata carries {tenantid}).
// - https://learn.microsoft.com/en-us/answers/questions/1190472/what-are-the-token-issuers-for-the-sovereign-cloud :
//   v1 issuers are sts.windows.net (global, US Gov) and sts.chinacloudapi.cn (China).
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProofToken, startProofSignIn, v1Issuer, type ProofTarget } from '../../src-main/auth/proof';
import { CLOUDS, customCloud } from '../../src-main/core/clouds';
import { apply } from '../../src-main/graph/engine';
import type { Emulator } from '../emulator/index';
import { emulator, session, settingsFor } from '../support/emulator';

const OTHER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

describe('proof.token: issuer, tenant and validity period', () => {
  let emu: Emulator;
  let target: ProofTarget;
  let genuine: Record<string, unknown>;
  beforeAll(async () => {
    emu = await emulator();
    const s = await session(emu, { action: 'apply', consent: 'users' });
    const r = await apply(s.graph, { settings: settingsFor(emu), tenantId: s.tenantId, readGrants: s.readGrants });
    target = { cloud: customCloud(emu.loginUrl, emu.graphUrl), tenantId: s.tenantId, appId: r.app.appId!, identifierUri: r.values.audience!, scopeValue: 'UserProfile.ReadWrite' };
    const p = await startProofSignIn(target);
    const res = await fetch(p.url, { redirect: 'manual' });
    const token = await p.complete(res.headers.get('location')!);
    genuine = decodeJwt(token) as Record<string, unknown>;
  });
  afterAll(async () => emu.stop());

  const now = () => Math.floor(Date.now() / 1000);
  const check = (claims: Record<string, unknown>, t: Partial<ProofTarget> = {}) => checkProofToken(emu.signClaims(claims), { ...target, ...t });

  it('a genuine v1 token (iss https://sts.windows.net/<tenant>/) still passes', async () => {
    expect(genuine.ver).toBe('1.0');
    expect(genuine.iss).toBe(`https://sts.windows.net/${target.tenantId}/`);
    const step = await check(genuine);
    expect(step.status).not.toBe('fail');
    expect(step.found).toContain(`iss https://sts.windows.net/${target.tenantId}/`);
    expect(step.found).toContain(`tid ${target.tenantId}`);
  });

  it("another tenant's token, signed with the same keys, fails naming the issuer and the tenant", async () => {
    const step = await check({ ...genuine, tid: OTHER_TENANT, iss: `https://sts.windows.net/${OTHER_TENANT}/` });
    expect(step.status).toBe('fail');
    expect(step.found).toMatch(/signature verifies/);
    expect(step.found).toMatch(/issuer \(iss\) is .*9188040d.*another tenant/);
    expect(step.found).toMatch(/tenant id \(tid\) is "9188040d-6c67-4c5b-b112-36a304b66dad", not/);
    // The issuer alone binds it too: right tid, issuer of another tenant or another authority.
    expect((await check({ ...genuine, iss: `https://sts.windows.net/${OTHER_TENANT}/` })).status).toBe('fail');
    expect((await check({ ...genuine, iss: 'https://idp.example.net/' })).found).toMatch(/issuer \(iss\) is "https:\/\/idp\.example\.net\/"/);
    const { tid: _t, ...noTid } = genuine;
    expect((await check(noTid)).found).toMatch(/tid\) is missing/);
  });

  it('a token without exp fails, saying so', async () => {
    const { exp: _e, ...noExp } = genuine;
    const step = await check(noExp);
    expect(step.status).toBe('fail');
    expect(step.found).toMatch(/no expiry \(exp is missing\)/);
  });

  it('expired and not-yet-valid tokens are named as such, not as a bad signature', async () => {
    const expired = await check({ ...genuine, iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 });
    expect(expired.status).toBe('fail');
    expect(expired.found).toMatch(/has expired/);
    expect(expired.found).not.toMatch(/signature does not verify/);
    const early = await check({ ...genuine, iat: now(), nbf: now() + 3600, exp: now() + 7200 });
    expect(early.status).toBe('fail');
    expect(early.found).toMatch(/not valid yet \(nbf is in the future\)/);
    expect(early.found).not.toMatch(/signature does not verify/);
  });

  it('v2 tokens: the issuer must be the metadata issuer ({tenantid} substituted); a v1 issuer in a v2 token fails', async () => {
    const meta = (await (await fetch(`${emu.loginUrl}/${target.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as { issuer: string };
    const v2 = { ...genuine, ver: '2.0', aud: target.appId, iss: meta.issuer.replace('{tenantid}', target.tenantId) };
    const ok = await check(v2, { requestedAccessTokenVersion: 2 });
    expect(ok.status).not.toBe('fail');
    expect(ok.found).toContain(`iss ${emu.loginUrl}/${target.tenantId}/v2.0`);
    const wrong = await check({ ...v2, iss: `https://sts.windows.net/${target.tenantId}/` }, { requestedAccessTokenVersion: 2 });
    expect(wrong.status).toBe('fail');
    expect(wrong.found).toMatch(/not this tenant's v2 issuer/);
    const v1WithV2Issuer = await check({ ...genuine, iss: v2.iss });
    expect(v1WithV2Issuer.found).toMatch(/not this tenant's v1 issuer https:\/\/sts\.windows\.net\//);
  });

  it('v1 issuers per cloud', () => {
    expect(v1Issuer(CLOUDS.global, 'T')).toBe('https://sts.windows.net/T/');
    expect(v1Issuer(CLOUDS.usgov, 'T')).toBe('https://sts.windows.net/T/');
    expect(v1Issuer(CLOUDS.china, 'T')).toBe('https://sts.chinacloudapi.cn/T/');
  });
});
