import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile, serveAppRequest } from '../../src-main/electron/protocol';
import { CONTENT_SECURITY_POLICY } from '../../src-main/shared/csp';
import { tmpDirSync } from '../support/tmp';

const root = tmpDirSync('proto');
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(path.join(root, 'assets', 'a.js'), 'console.log(1)');
writeFileSync(path.join(os.tmpdir(), 'ice-proto-secret.txt'), 'secret');

describe('app:// protocol', () => {
  it('maps app://ice paths into the renderer folder only', () => {
    expect(resolveAppFile(root, 'app://ice/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://ice/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    // Whatever the URL, the file is inside the renderer folder or refused.
    for (const nasty of [
      'app://ice/../ice-proto-secret.txt',
      'app://ice/%2e%2e/ice-proto-secret.txt',
      'app://ice/..%2fice-proto-secret.txt',
      'app://ice/..%2f..%2f..%2fetc%2fpasswd',
      'app://ice/a%5c..%5c..%5cx',
      'app://ice/%00index.html',
      'app://ice/%E0%A4%A',
    ]) {
      const f = resolveAppFile(root, nasty);
      expect(f === null || f.startsWith(root + path.sep), nasty).toBe(true);
    }
    expect(resolveAppFile(root, 'app://ice/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(root, 'app://ice/a%5cb')).toBeNull();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
  });
  it('serves files with the CSP and nosniff headers; 404 for anything else', async () => {
    const ok = await serveAppRequest(root, 'app://ice/index.html', 'GET');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('content-type')).toMatch(/text\/html/);
    expect((await serveAppRequest(root, 'app://ice/%2e%2e/ice-proto-secret.txt', 'GET')).status).toBe(404);
    expect((await serveAppRequest(root, 'app://ice/missing.js', 'GET')).status).toBe(404);
    expect((await serveAppRequest(root, 'app://ice/index.html', 'POST')).status).toBe(405);
  });
  it('the CSP is strict for scripts and forbids objects, base, framing and forms', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'", "default-src 'self'"]) {
      expect(CONTENT_SECURITY_POLICY).toContain(d);
    }
  });
});
