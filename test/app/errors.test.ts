// An internal error (a bug) crosses every boundary as code "internal" with a generic message: the dispatcher's
// answer to the renderer and the CLI's stderr never carry the exception text or a stack; the detail goes to the
// local log only. Expected failures keep their code and message.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { testAppServices } from '../support/app';
import { dispatch, type Handlers } from '../../src-main/app/dispatch';
import { fileLog } from '../../src-main/lib/log';
import { INTERNAL_MESSAGE, ERROR_CODES } from '../../src-main/shared/errors';
import { EXIT, exitCodeFor } from '../../src-main/cli/exit-codes';
import { cli } from '../support/cli';
import { fixturePath } from '../support/fixtures';
import { tmpDirSync } from '../support/tmp';

const SECRET_DETAIL = 'cannot read properties of undefined (reading "tenant") at /home/fe/.secret/path';

vi.mock('../../src-main/core/audit', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src-main/core/audit')>();
  return {
    ...real,
    audit: (...args: Parameters<typeof real.audit>) => {
      // A bug only for the app this test names: every other call is the real audit.
      if (args[0].application?.displayName === 'Trigger an internal error') throw new TypeError(SECRET_DETAIL);
      return real.audit(...args);
    },
  };
});

const services = (tmp: string, answers: string[] = []) => testAppServices(tmp, { answers });

const NO_STACK = /\n\s+at |TypeError|reading "tenant"|\.secret/;

describe('internal errors', () => {
  it('reach the renderer (through the dispatcher) as {ok:false, code:"internal"} with the generic message; the detail is logged', async () => {
    const tmp = tmpDirSync('internal');
    const log = fileLog(path.join(tmp, 'logs', 'main.log'));
    const buggy = path.join(tmp, 'buggy.json');
    (await import('node:fs')).writeFileSync(buggy, JSON.stringify({ appId: '11111111-2222-3333-4444-555555555555', displayName: 'Trigger an internal error' }));
    const s = services(tmp, [buggy]);
    const r = await dispatch(s, 'review.openFile', { kind: 'application' }, log);
    expect(r).toEqual({ ok: false, code: 'internal', message: `${INTERNAL_MESSAGE} Log: ${log.file}` });
    expect(JSON.stringify(r)).not.toMatch(NO_STACK);
    const logged = readFileSync(log.file!, 'utf8');
    expect(logged).toContain('IPC review.openFile');
    expect(logged).toContain(`TypeError: ${SECRET_DETAIL}`);
    expect(logged).toMatch(/\n\s+at /); // the stack, for support
  });

  it('any handler that throws something unexpected answers the same way, and the other channels keep working', async () => {
    const tmp = tmpDirSync('internal');
    const real = services(tmp);
    const broken: Handlers = { ...real, 'sites.list': async () => Promise.reject(new RangeError(SECRET_DETAIL)) };
    expect(await dispatch(broken, 'sites.list', {})).toEqual({ ok: false, code: 'internal', message: INTERNAL_MESSAGE });
    expect(await dispatch(broken, 'settings.defaults', {})).toMatchObject({ ok: true, draft: { hosts: [''] } });
  });

  it('an answer that would carry a secret is withheld as an internal error (the where goes to the log, never the value)', async () => {
    const tmp = tmpDirSync('internal');
    const log = fileLog(path.join(tmp, 'main.log'));
    const leaky: Handlers = { ...services(tmp), 'app.info': async () => ({ version: '1', platform: 'x', secretStorage: { persistent: false, backend: 'x', reason: '' }, refresh_token: 'rt-value' }) as never };
    expect(await dispatch(leaky, 'app.info', {}, log)).toMatchObject({ ok: false, code: 'internal' });
    const logged = readFileSync(log.file!, 'utf8');
    expect(logged).toContain('$.refresh_token');
    expect(logged).not.toContain('rt-value');
  });

  it('reach the CLI as the generic message and exit 70; the detail is in the CLI log', async () => {
    const cfg = tmpDirSync('cli-internal');
    const buggy = path.join(cfg, 'buggy.json');
    (await import('node:fs')).writeFileSync(buggy, JSON.stringify({ appId: '11111111-2222-3333-4444-555555555555', displayName: 'Trigger an internal error' }));
    const r = await cli(['audit', '--app', buggy, '--host', 'test.icnow.app'], { env: { ICE_SSO_CONFIG_DIR: cfg } });
    expect(r.code).toBe(EXIT.internal);
    expect(r.code).toBe(70);
    expect(r.stdout).toBe('');
    const logFile = path.join(cfg, 'logs', 'cli.log');
    expect(r.stderr).toBe(`error: ${INTERNAL_MESSAGE} Log: ${logFile}\n`);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(existsSync(logFile)).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toContain(`TypeError: ${SECRET_DETAIL}`);
    // The same command without the bug: the real audit, exit 1 (a step fails), nothing logged.
    const ok = await cli(['audit', '--app', fixturePath('docs-application-get.json'), '--host', 'test.icnow.app'], { env: { ICE_SSO_CONFIG_DIR: cfg } });
    expect(ok.code).toBe(1);
  });

  it('every error code has exactly one exit code; only "internal" gets 70 and only "cancelled" 130', () => {
    const codes = Object.fromEntries(ERROR_CODES.map((c) => [c, exitCodeFor(c)]));
    expect(Object.values(codes).every((n) => [1, 2, 3, 4, 70, 130].includes(n))).toBe(true);
    expect(Object.entries(codes).filter(([, n]) => n === 70).map(([c]) => c)).toEqual(['internal']);
    expect(Object.entries(codes).filter(([, n]) => n === 130).map(([c]) => c)).toEqual(['cancelled']);
    expect(codes['usage']).toBe(2);
    expect(codes['graph.http']).toBe(3);
    expect(codes['bundle.untrusted']).toBe(4);
  });
});

describe('advice per front end (ErrorInfo.todo)', () => {
  const ctx = { scopes: ['Application.Read.All'], authority: 'https://login.microsoftonline.com/nope.example', clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e' };
  const cases = [
    { e: { errorCode: 'endpoints_resolution_error', errorMessage: 'AADSTS90002: Tenant not found.' }, code: 'signin.tenant-not-found', cli: / \(--tenant\)\n$/ },
    { e: { errorCode: 'invalid_grant', subError: 'consent_required', errorMessage: 'AADSTS65001' }, code: 'signin.consent-required', cli: / Your own client: --client-id\.\n$/ },
  ];
  it('the CLI adds its options; the app answer carries neither them nor the advice object', async () => {
    const { toSignInError } = await import('../../src-main/auth/errors');
    const { reportFailure } = await import('../../src-main/cli/main');
    for (const c of cases) {
      const err = toSignInError(c.e, ctx);
      let stderr = '';
      const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((stderr += s), true) }, env: {} } as never;
      reportFailure(err, io);
      expect(stderr).toMatch(c.cli);
      const r = (await dispatch({ 'app.info': async () => Promise.reject(err) } as unknown as Handlers, 'app.info', {})) as Record<string, unknown>;
      expect(r).toMatchObject({ ok: false, code: c.code });
      expect(r).not.toHaveProperty('todo');
      expect(String(r.message)).not.toMatch(/--[a-z]/);
    }
  });
});
