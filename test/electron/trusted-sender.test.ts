import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender } from '../../src-main/electron/trusted-sender';

const main = { url: 'app://ice/index.html', processId: 4, routingId: 1 };

describe('isAppUrl', () => {
  it('accepts only the app origin when packaged', () => {
    expect(isAppUrl('app://ice/index.html', {})).toBe(true);
    expect(isAppUrl('app://ice/index.html#/values', {})).toBe(true);
    // Any local file is NOT the app (the prefix-check weakness).
    expect(isAppUrl('file:///home/user/Downloads/evil.html', {})).toBe(false);
    expect(isAppUrl('file:///opt/ICE%20SSO%20Assistant/resources/app.asar/out/renderer/index.html', {})).toBe(false);
    expect(isAppUrl('app://evil/index.html', {})).toBe(false);
    expect(isAppUrl('app://user:pw@ice/index.html', {})).toBe(false);
    expect(isAppUrl('https://ice/index.html', {})).toBe(false);
    expect(isAppUrl('http://localhost:5173/', {})).toBe(false);
    expect(isAppUrl('not a url', {})).toBe(false);
  });
  it('accepts the dev server by exact origin only, and only on loopback', () => {
    const dev = { devOrigin: 'http://localhost:5173' };
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://example.com/', { devOrigin: 'http://example.com' })).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts the main frame of our window showing our page', () => {
    expect(isTrustedSender({ ...main }, main, {})).toBe(true);
  });
  it('refuses sub-frames, other windows, missing frames and foreign pages', () => {
    expect(isTrustedSender({ ...main, routingId: 2 }, main, {})).toBe(false);
    expect(isTrustedSender({ ...main, processId: 5 }, main, {})).toBe(false);
    expect(isTrustedSender(null, main, {})).toBe(false);
    expect(isTrustedSender(main, null, {})).toBe(false);
    expect(isTrustedSender({ ...main, url: 'https://evil.example/' }, main, {})).toBe(false);
    expect(isTrustedSender({ ...main, url: 'file:///tmp/x.html' }, main, {})).toBe(false);
  });
});
