import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from '../../src-main/app/external';

describe('checkExternalUrl (shell.openExternal allow-list)', () => {
  it('opens the Azure portals, sign-in, device login and Microsoft Learn over https', () => {
    for (const u of [
      'https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/x',
      'https://portal.azure.us/',
      'https://portal.azure.cn/',
      'https://login.microsoftonline.com/common/oauth2/deviceauth',
      'https://microsoft.com/devicelogin',
      'https://login.microsoft.com/device',
      'https://learn.microsoft.com/en-us/graph/api/application-get',
    ]) {
      expect(checkExternalUrl(u).ok, u).toBe(true);
    }
  });
  it('refuses other schemes, hosts, look-alikes, credentials and ports', () => {
    for (const u of [
      'http://portal.azure.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://evil/share',
      'https://portal.azure.com.evil.example/',
      'https://evil.example/?portal.azure.com',
      'https://user:pw@portal.azure.com/',
      'https://portal.azure.com:8443/',
      'https://microsoft.com/',
      'https://microsoft.com/download/evil.exe',
      'not a url',
      '',
    ]) {
      const r = checkExternalUrl(u);
      expect(r.ok, u).toBe(false);
    }
    expect(checkExternalUrl(42).ok).toBe(false);
  });
  it('accepts a custom cloud host only when main adds it for this session', () => {
    expect(checkExternalUrl('https://login.example.net/tenant/oauth2').ok).toBe(false);
    expect(checkExternalUrl('https://login.example.net/tenant/oauth2', ['login.example.net']).ok).toBe(true);
    expect(checkExternalUrl('https://127.0.0.1:8443/t/oauth2/v2.0/authorize', ['127.0.0.1:8443']).ok).toBe(true);
    expect(checkExternalUrl('https://127.0.0.1:9999/t/oauth2/v2.0/authorize', ['127.0.0.1:8443']).ok).toBe(false);
    expect(checkExternalUrl('http://127.0.0.1:8443/x', ['127.0.0.1:8443']).ok).toBe(false);
  });
  it('says why it refuses', () => {
    const r = checkExternalUrl('https://evil.example/');
    expect(!r.ok && r.reason).toMatch(/evil\.example is not on the list/);
  });
});
