// `verify`: sign in (read-only permissions), read the app, its service principal and grants, audit them.
import { createInterface } from 'node:readline';
import { openSystemBrowser } from '../../auth/browser';
import { checkProofToken, startProofSignIn, type ProofTarget } from '../../auth/proof';
import { audit, auditExitCode } from '../../core/audit';
import type { AuditResult } from '../../core/types';
import { verify } from '../../graph/engine';
import { flag, parseArgs, str, type OptionDef } from '../args';
import { UsageError } from '../errors';
import { useColour } from '../io';
import { renderAudit } from '../render';
import { SETTINGS_OPTIONS } from '../settings-options';
import { APP_OPTIONS, EXIT_SERVICE, SIGNIN_OPTIONS, appIdsForSite, cancelOnSigint, jsonOutput, liveInputs, openCliSession, serviceFailure, statsLine, whoRan } from './signin';

import type { CliCommand } from './types';

const OPTIONS: OptionDef[] = [
  ...SIGNIN_OPTIONS,
  ...APP_OPTIONS,
  ...SETTINGS_OPTIONS,
  { name: 'proof', kind: 'flag', description: 'also prove it: sign in as the ICE app with a test user and check the access token (proof.token)' },
  { name: 'proof-user', kind: 'string', valueName: 'UPN', description: 'with --proof: the test user to sign in as (login hint)' },
  { name: 'json', kind: 'flag', description: 'print the audit shape plus "requests" (Graph requests made) and "roundTrips"' },
];

/** One line from standard input (the address the browser landed on). */
function readLine(signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
      rl.close();
    };
    const onAbort = () => done(() => reject(new UsageError('cancelled while waiting for the address.')));
    signal.addEventListener('abort', onAbort, { once: true });
    rl.once('line', (l) => done(() => resolve(l)));
    rl.once('close', () => done(() => reject(new UsageError('--proof: standard input closed before the address was pasted.'))));
  });
}

export const command: CliCommand = {
  name: 'verify',
  summary: 'sign in (read-only) and check the live app registration against the ICE guide',
  usage:
    'verify --tenant T [--device-code|--browser] [--client-id C] [--cloud global|usgov|china | --login-url U --graph-url U]\n' +
    '       [--object-id ID | --app-id ID | --unique-name N] [--site FILE] [settings options as for audit] [--json]',
  options: OPTIONS,
  details:
    `Asks only for Application.Read.All and Directory.Read.All (to read consent grants). Exit code: 0 when no step fails, ` +
    `1 when any fails, 2 for bad input or usage, ${EXIT_SERVICE} when sign-in or Microsoft Graph fails (the message says why).\n` +
    'A custom cloud with a private CA: set NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
  async run(argv, io) {
    const p = parseArgs(argv, OPTIONS, 'verify');
    if (p.positionals.length) throw new UsageError(`verify takes no positional arguments (got ${p.positionals.map((x) => JSON.stringify(x)).join(' ')}).`);
    const inputs = await liveInputs(p, io);
    const cancel = cancelOnSigint(io);
    try {
      const session = await openCliSession(p, io, inputs.settings.cloud, inputs.tenant, { action: 'verify' }, cancel.signal);
      const v = await verify(session.graph, {
        settings: inputs.settings,
        tenantId: session.tenantId,
        hint: inputs.hint,
        readGrants: session.readGrants,
        signal: cancel.signal,
      });
      let r: typeof v & AuditResult = v;
      if (flag(p, 'proof')) {
        const app = v.observed.application;
        if (!app?.appId || !v.values.audience) {
          io.stderr.write('Proof skipped: the app registration or its Application ID URI does not exist yet (run apply first).\n');
        } else {
          const target: ProofTarget = {
            cloud: inputs.settings.cloud,
            tenantId: session.tenantId,
            appId: app.appId,
            identifierUri: v.values.audience,
            scopeValue: inputs.settings.scopeValue,
            requestedAccessTokenVersion: app.api?.requestedAccessTokenVersion ?? null,
          };
          const ps = await startProofSignIn(target, { loginHint: str(p, 'proof-user') });
          io.stderr.write(
            `Proof: sign in as a test ICE user (as ICE Desktop would) at:\n${ps.url}\n` +
              `The browser ends on a blank page at ${ps.redirectUri}?code=... Copy that page's full address, paste it here and press Enter:\n`,
          );
          if (flag(p, 'browser')) await openSystemBrowser(ps.url).catch((e: Error) => io.stderr.write(`${e.message}\n`));
          const token = await ps.complete(await readLine(cancel.signal));
          const proof = await checkProofToken(token, target);
          r = { ...v, ...audit(v.observed, inputs.settings, { proof }) };
        }
      }
      if (inputs.site) {
        await inputs.site.record({
          kind: 'verify',
          at: new Date().toISOString(),
          by: whoRan(session.username),
          tenantId: session.tenantId,
          app: appIdsForSite(r.app),
          steps: r.steps,
          values: r.values,
        });
      }
      if (flag(p, 'json')) {
        io.stdout.write(jsonOutput(r, r.stats, { tenantId: session.tenantId, app: r.app, foundBy: r.foundBy }));
      } else {
        const a = r.observed.application;
        const heading = a
          ? `ICE SSO checklist for "${a.displayName ?? '(no name)'}" (client id ${a.appId ?? '?'}) in tenant ${session.tenantId}`
          : `ICE SSO checklist: no app registration found in tenant ${session.tenantId} (looked for uniqueName ${r.app.uniqueName ?? '?'})`;
        io.stdout.write(renderAudit(r, useColour(io), heading));
        io.stderr.write(statsLine(r.stats));
        if (inputs.site) io.stderr.write(`Recorded in site "${inputs.site.name}".\n`);
      }
      return auditExitCode(r);
    } catch (e) {
      const code = serviceFailure(e, io);
      if (code === null) throw e;
      return code;
    } finally {
      cancel.done();
    }
  },
};
