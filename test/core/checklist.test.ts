import { describe, expect, it } from 'vitest';
import { CATALOG, CATALOG_IN_ORDER, portalDeepLink } from '../../src-main/core/checklist';
import { CLOUDS, customCloud, nativeClientRedirect } from '../../src-main/core/clouds';
import { STEP_IDS } from '../../src-main/core/types';

describe('checklist catalog', () => {
  it('has an entry for every step id of checklist.md, keyed by its own id', () => {
    expect(Object.keys(CATALOG).sort()).toEqual([...STEP_IDS].sort());
    expect(CATALOG_IN_ORDER.map((e) => e.id)).toEqual([...STEP_IDS]);
    for (const id of STEP_IDS) {
      const e = CATALOG[id];
      expect(e.id).toBe(id);
      expect(e.title).not.toBe('');
      expect(e.guideStep).not.toBe('');
      expect(e.portalLocation).not.toBe('');
      expect(e.why.length).toBeGreaterThan(10);
    }
  });

  it('deep-links app-registration blades once the app id is known, in the right portal', () => {
    const appId = '2d8f5c3a-7b1e-4f6d-a9c0-5e4b3a2d1c0f';
    expect(portalDeepLink('auth.spa-redirects', CLOUDS.global, appId)).toBe(`https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Authentication/appId/${appId}`);
    expect(portalDeepLink('api.scope', CLOUDS.usgov, appId)).toBe(`https://portal.azure.us/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/ExposeAnAPI/appId/${appId}`);
    expect(portalDeepLink('permissions.no-graph', CLOUDS.china, appId)).toMatch(/^https:\/\/portal\.azure\.cn\/.*\/CallAnAPI\/appId\//);
    expect(portalDeepLink('token.upn-claim', CLOUDS.global, appId)).toMatch(/\/TokenConfiguration\/appId\//);
    expect(portalDeepLink('overview.values', CLOUDS.global, appId)).toMatch(/\/Overview\/appId\//);
    expect(portalDeepLink('proof.token', CLOUDS.global, appId)).toBeNull();
    expect(portalDeepLink('api.scope', CLOUDS.global)).toBeNull();
    expect(portalDeepLink('register.app', CLOUDS.global)).toBe('https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade');
  });
});

describe('clouds', () => {
  it('knows the national clouds and builds custom ones', () => {
    expect(CLOUDS.global).toEqual({ name: 'global', loginUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com', portalUrl: 'https://portal.azure.com' });
    expect(CLOUDS.usgov.graphUrl).toBe('https://graph.microsoft.us');
    expect(CLOUDS.china.graphUrl).toBe('https://microsoftgraph.chinacloudapi.cn');
    expect(customCloud('https://127.0.0.1:9443/', 'https://127.0.0.1:9444//')).toEqual({ name: 'custom', loginUrl: 'https://127.0.0.1:9443', graphUrl: 'https://127.0.0.1:9444', portalUrl: 'https://portal.azure.com' });
    expect(nativeClientRedirect(CLOUDS.china)).toBe('https://login.partner.microsoftonline.cn/common/oauth2/nativeclient');
  });
});
