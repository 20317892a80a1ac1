// proof.token: sign in as the ICE app for its own scope and check the token as ICE would.
import { afterEach, describe, expect, it } from 'vitest';
import { checkProofToken, startProofSignIn, type ProofTarget } from '../../src-main/auth/proof';
import { customCloud } from '../../src-main/core/clouds';
import { apply } from '../../src-main/graph/engine';
import type { Emulator } from '../emulator/index';
import { emulator, session, settingsFor } from '../support/emulator';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

/** Plays the browser: the emulator signs the current user in and redirects to the native-client URI. */
async function browse(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

async function appliedTarget(consent: 'users' | 'admins' = 'users'): Promise<ProofTarget> {
  const s = await session(emu!, { action: 'apply', consent });
  const r = await apply(s.graph, { settings: settingsFor(emu!, { consent }), tenantId: s.tenantId, readGrants: s.readGrants });
  return {
    cloud: customCloud(emu!.loginUrl, emu!.graphUrl),
    tenantId: s.tenantId,
    appId: r.app.appId!,
    identifierUri: r.values.audience!,
    scopeValue: 'UserProfile.ReadWrite',
  };
}

describe('proof.token', () => {
  it('signs in as the ICE app via its native-client redirect and proves the token (group names)', async () => {
    emu = await emulator();
    const target = await appliedTarget();
    emu.setUser({ userPrincipalName: 'synced', roles: [], canConsent: true, groups: [{ id: '2f6c1e9a-1111-4222-8333-944445555666', displayName: 'Dispatch', samAccountName: 'dispatch' }] });
    emu.signInAs(`synced@${emu.tenantDomain}`);
    const p = await startProofSignIn(target);
    const u = new URL(p.url);
    expect(u.searchParams.get('client_id')).toBe(target.appId);
    expect(u.searchParams.get('redirect_uri')).toBe(`${emu.loginUrl}/common/oauth2/nativeclient`);
    expect(u.searchParams.get('scope')).toContain(`${target.identifierUri}/UserProfile.ReadWrite`);
    const landed = await browse(p.url);
    expect(landed.startsWith(p.redirectUri)).toBe(true);
    const token = await p.complete(landed);
    const step = await checkProofToken(token, target);
    expect(step.status).toBe('pass');
    expect(step.found).toMatch(/no nonce/);
    expect(step.found).toMatch(/signature verifies/);
    expect(step.found).toContain(`aud ${target.identifierUri}`);
    expect(step.found).toMatch(/groups by name \(dispatch\)/);
    expect(step.found).not.toContain(token);
  });

  it('warns when groups come as ids (cloud-only groups) and fails a Graph token (nonce) or a wrong audience', async () => {
    emu = await emulator();
    const target = await appliedTarget('admins');
    const p = await startProofSignIn(target);
    const token = await p.complete(await browse(p.url));
    const step = await checkProofToken(token, target);
    expect(step.status).toBe('warn');
    expect(step.found).toMatch(/1 of 2 groups are ids/);

    const graphToken = emu.issueToken({ scopes: ['User.Read'] });
    const bad = await checkProofToken(graphToken, target);
    expect(bad.status).toBe('fail');
    expect(bad.found).toMatch(/nonce/);
    expect(bad.found).toMatch(/aud is/);
    expect(bad.found).toMatch(/without UserProfile\.ReadWrite/);
  });

  it('a forged signature fails; a pasted address without a code or from another sign-in is refused', async () => {
    emu = await emulator();
    const target = await appliedTarget();
    const p = await startProofSignIn(target);
    const landed = await browse(p.url);
    const token = await p.complete(landed);
    const [h, b] = token.split('.');
    const forged = `${h}.${b}.${Buffer.from('not the signature').toString('base64url')}`;
    const step = await checkProofToken(forged, target);
    expect(step.status).toBe('fail');
    expect(step.found).toMatch(/signature does not verify/);
    await expect(p.complete('https://example.com/nativeclient')).rejects.toThrow(/no "code="/);
    const other = new URL(landed);
    other.searchParams.set('state', 'someone-else');
    await expect(p.complete(other.href)).rejects.toThrow(/another sign-in/);
  });
});
