// The export's last guard: no token or secret in any JSON file of a bundle, without mistaking
// Graph's own property names (optionalClaims.accessToken / idToken are claim lists) for secrets.
import { describe, expect, it } from 'vitest';
import { BundleRefused, assertNoSecrets } from '../../src-main/bundle/build';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyMTIzNDUifQ.c2lnbmF0dXJlLWJ5dGVz';

describe('assertNoSecrets', () => {
  it('accepts an application body with optional claims for access and id tokens', () => {
    const body = {
      optionalClaims: {
        accessToken: [{ name: 'upn', additionalProperties: ['include_externally_authenticated_upn'] }],
        idToken: [],
      },
      web: { implicitGrantSettings: { enableAccessTokenIssuance: true } },
    };
    expect(() => assertNoSecrets('checklist.json', { requests: [{ method: 'PATCH', body }] })).not.toThrow();
  });

  it.each([
    [{ access_token: 'abc' }, '.access_token'],
    [{ nested: { refreshToken: 'r-123' } }, '.nested.refreshToken'],
    [{ list: [{ client_secret: 's3cr3t' }] }, '.list[0].client_secret'],
    [{ password: 'hunter2' }, '.password'],
  ])('refuses a string secret under a secret-looking key (%j)', (value, where) => {
    expect(() => assertNoSecrets('about.json', value)).toThrow(BundleRefused);
    expect(() => assertNoSecrets('about.json', value)).toThrow(`about.json${where} looks like a secret`);
  });

  it('refuses a JWT anywhere, whatever the key', () => {
    expect(() => assertNoSecrets('settings.json', { notes: ['fine', { text: `token ${JWT}` }] })).toThrow(/settings.json.notes\[1\].text looks like it holds a token/);
  });
});
