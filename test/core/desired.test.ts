import { describe, expect, it } from 'vitest';
import {
  desiredAdminGrant,
  desiredApplication,
  desiredServicePrincipal,
  formatGroupMembershipClaims,
  groupTypeCovered,
  parseGroupMembershipClaims,
} from '../../src-main/core/desired';
import { settingsOrThrow } from '../../src-main/core/settings';
import type { GraphApplication } from '../../src-main/core/types';
import { iceValues } from '../../src-main/core/values';
import { fixture } from '../support/fixtures';

const S = settingsOrThrow({ hosts: ['test.icnow.app', 'dc2.icnow.app'] });
const SCOPE = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('desiredApplication', () => {
  it('is pure: same input, same output; the caller chooses the scope id', () => {
    expect(desiredApplication(S, { scopeId: SCOPE })).toEqual(desiredApplication(S, { scopeId: SCOPE }));
    expect(desiredApplication(S, { scopeId: SCOPE }).api?.oauth2PermissionScopes?.[0]?.id).toBe(SCOPE);
  });

  it('without an app id leaves out identifierUris and the own-scope permission; with one it adds them', () => {
    const before = desiredApplication(S, { scopeId: SCOPE });
    expect(before.identifierUris).toBeUndefined();
    expect(before.requiredResourceAccess).toBeUndefined();
    const after = desiredApplication(S, { scopeId: SCOPE, appId: 'abc' });
    expect(after.identifierUris).toEqual(['api://abc']);
    expect(after.requiredResourceAccess).toEqual([{ resourceAppId: 'abc', resourceAccess: [{ id: SCOPE, type: 'Scope' }] }]);
  });

  it('holds what the guide asks, per cloud and audience', () => {
    const d = desiredApplication(settingsOrThrow({ hosts: 'a.example', cloud: 'usgov', consent: 'admins', groupTypes: 'SecurityGroup,DirectoryRole' }), { scopeId: SCOPE });
    expect(d.publicClient?.redirectUris).toEqual(['https://login.microsoftonline.us/common/oauth2/nativeclient']);
    expect(d.web?.implicitGrantSettings?.enableAccessTokenIssuance).toBe(true);
    expect(d.api?.requestedAccessTokenVersion).toBeNull();
    expect(d.api?.oauth2PermissionScopes?.[0]?.type).toBe('Admin');
    expect(d.groupMembershipClaims).toBe('SecurityGroup, DirectoryRole');
    expect(d.optionalClaims?.accessToken).toEqual([
      { name: 'groups', source: null, essential: false, additionalProperties: ['sam_account_name'] },
      { name: 'upn', source: null, essential: false, additionalProperties: ['include_externally_authenticated_upn'] },
    ]);
    expect(JSON.stringify(d)).not.toContain('00000003-0000-0000-c000-000000000000');
    expect(desiredApplication(settingsOrThrow({ hosts: 'a.example', signInAudience: 'PersonalMicrosoftAccount' }), { scopeId: SCOPE }).api?.requestedAccessTokenVersion).toBe(2);
  });

  it('merges into an existing application: drops Graph, keeps the rest', () => {
    const existing = fixture<GraphApplication>('portal-default-registration.json');
    existing.spa = { redirectUris: ['https://other.example/cb'] };
    const d = desiredApplication(S, { scopeId: SCOPE, existing });
    expect(d.displayName).toBe('Instant Connect Enterprise');
    expect(d.spa?.redirectUris).toEqual(['https://other.example/cb', 'https://test.icnow.app/sso', 'https://dc2.icnow.app/sso']);
    expect(d.publicClient?.redirectUris).toEqual(['https://login.microsoftonline.com/common/oauth2/nativeclient']);
    expect(d.requiredResourceAccess).toEqual([{ resourceAppId: existing.appId, resourceAccess: [{ id: SCOPE, type: 'Scope' }] }]);
  });
});

describe('groups claim semantics', () => {
  it('parses Graph\'s string forms', () => {
    expect(parseGroupMembershipClaims('SecurityGroup, DirectoryRole')).toEqual({ types: ['SecurityGroup', 'DirectoryRole'], unknown: [] });
    expect(parseGroupMembershipClaims('None')).toEqual({ types: [], unknown: [] });
    expect(parseGroupMembershipClaims(null)).toEqual({ types: [], unknown: [] });
    expect(parseGroupMembershipClaims('all,Weird')).toEqual({ types: ['All'], unknown: ['Weird'] });
  });
  it('covers per the application resource docs', () => {
    expect(groupTypeCovered(['SecurityGroup'], 'DirectoryRole')).toBe(true);
    expect(groupTypeCovered(['DirectoryRole'], 'SecurityGroup')).toBe(false);
    expect(groupTypeCovered(['All'], 'ApplicationGroup')).toBe(true);
    expect(groupTypeCovered(['SecurityGroup'], 'ApplicationGroup')).toBe(false);
    expect(formatGroupMembershipClaims(['DirectoryRole', 'SecurityGroup'])).toBe('SecurityGroup, DirectoryRole');
    expect(formatGroupMembershipClaims(['All', 'SecurityGroup'])).toBe('All');
  });
});

describe('service principal, grant, values', () => {
  it('builds the service principal and the admin grant bodies', () => {
    expect(desiredServicePrincipal('abc')).toEqual({ appId: 'abc' });
    expect(desiredAdminGrant('sp1', 'UserProfile.ReadWrite')).toEqual({ clientId: 'sp1', consentType: 'AllPrincipals', resourceId: 'sp1', scope: 'UserProfile.ReadWrite' });
  });
  it('states null for what cannot be stated', () => {
    expect(iceValues(S, null)).toEqual({ audience: null, authorizationUrl: null, tokenUrl: null, redirectUrl: null, tenantId: null, clientId: null, openIdConfUrl: null, scope: null });
    expect(iceValues(S, null, 'contoso.onmicrosoft.com').authorizationUrl).toBeNull();
    const v = iceValues(S, null, '5B3E9A1C-2D4F-4E6A-8B7C-9D0E1F2A3B4C');
    expect(v.authorizationUrl).toBe('https://login.microsoftonline.com/5b3e9a1c-2d4f-4e6a-8b7c-9d0e1f2a3b4c/oauth2/v2.0/authorize');
    expect(v.tenantId).toBe('5b3e9a1c-2d4f-4e6a-8b7c-9d0e1f2a3b4c');
    const app = fixture<GraphApplication>('compliant-application.json');
    app.identifierUris = ['api://custom.example/ice', `api://${app.appId}`];
    expect(iceValues(S, app).audience).toBe(`api://${app.appId}`);
    app.api!.oauth2PermissionScopes![0]!.isEnabled = false;
    expect(iceValues(S, app).scope).toBeNull();
  });
});
