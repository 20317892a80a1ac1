// `verify`: sign in (read-only permissions), read the app, its service principal and grants, audit them.
import { createInterface } from 'node:readline';
import { openSystemBrowser } from '../../auth/browser';
import { checkProofToken, startProofSignIn, type ProofTarget } from '../../auth/proof';
import { audit } from '../../core/audit';
import type { SsoMetaHostReport } from '../../core/sso-meta';
import type { StepResult } from '../../core/types';
import { candidateLines, type VerifyResult } from '../../graph/engine';
import type { Candidate } from '../../graph/read';
import { tenantRunOutcome, verifyTenant } from '../../ops/tenant';
import { checkSsoMeta } from '../../server/sso-meta';
import { flag, str, type OptionDef } from '../args';
import { UsageError } from '../errors';
import { EXIT } from '../exit-codes';
import { APP_OPTIONS, SIGNIN_OPTIONS, printChecklist, recordInSite, runLiveCommand, type LiveContext } from '../live';
import { renderSsoMetaHosts } from '../render';
import { SETTINGS_OPTIONS } from '../settings-options';

import type { CliCommand } from './types';

const OPTIONS: OptionDef[] = [
  ...SIGNIN_OPTIONS,
  ...APP_OPTIONS,
  ...SETTINGS_OPTIONS,
  { name: 'proof', kind: 'flag', description: 'also prove it: sign in as the ICE app with a test user and check the access token (proof.token)' },
  { name: 'proof-user', kind: 'string', valueName: 'UPN', description: 'with --proof: the test user to sign in as (login hint)' },
  { name: 'sso-meta', kind: 'flag', description: "also compare every ICE host's GET https://<host>/sso-meta with the eight values (server.sso-meta; needs network to the ICE Server)" },
  { name: 'json', kind: 'flag', description: 'print the audit shape plus "requests" (Graph requests made) and "roundTrips" (and "ssoMeta" with --sso-meta)' },
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
  usage:
    'verify --tenant T [--device-code|--browser] [--client-id C] [--cloud global|usgov|china | --login-url U --graph-url U]\n' +
    '       [--object-id ID | --app-id ID | --unique-name N] [--site FILE] [--proof] [--sso-meta] [settings options as for audit] [--json]',
  options: OPTIONS,
  details:
    `Asks only for Application.Read.All and Directory.Read.All (to read consent grants). Exit code: 0 when no step fails, ` +
    `1 when any fails, 2 for bad input or usage, ${EXIT.service} when sign-in or Microsoft Graph fails (the message says why).\n` +
    'A custom cloud with a private CA: set NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
  run(argv, io) {
    return runLiveCommand(argv, io, {
      name: 'verify',
      options: OPTIONS,
      purpose: () => ({ action: 'verify' }),
      async work(ctx) {
        const { p, inputs, session, signal } = ctx;
        const v = await verifyTenant({ session, signal }, ctx.target);
        const extra: { proof?: StepResult; ssoMeta?: StepResult } = {};
        if (flag(p, 'proof')) {
          const proof = await runProof(ctx, v);
          if (proof) extra.proof = proof;
        }
        let hosts: SsoMetaHostReport[] | undefined;
        if (flag(p, 'sso-meta')) {
          const cmp = await checkSsoMeta(inputs.settings, v.values, { signal });
          extra.ssoMeta = cmp.step;
          hosts = cmp.hosts;
          if (!ctx.json) io.stderr.write(renderSsoMetaHosts(cmp));
        }
        const r: typeof v = Object.keys(extra).length ? { ...v, ...audit(v.observed, inputs.settings, extra) } : v;
        await recordInSite(ctx, tenantRunOutcome('verify', session, r));
        const a = r.observed.application;
        const heading = a
          ? `ICE SSO checklist for "${a.displayName ?? '(no name)'}" (client id ${a.appId ?? '?'}) in tenant ${session.tenantId}${v.adoptable ? ' (not made by ICE SSO Assistant: apply writes to it only with --adopt)' : ''}`
          : v.candidates.length
            ? `ICE SSO checklist: no registration made by ICE SSO Assistant in tenant ${session.tenantId}; existing registrations that look like ICE's:\n${candidateLines(v.candidates).map((l) => `  ${l}`).join('\n')}\nUse one: --app-id <client id> --adopt`
            : `ICE SSO checklist: no app registration found in tenant ${session.tenantId} (looked for uniqueName ${r.app.uniqueName ?? '?'})`;
        return printChecklist(ctx, r, heading, {
          tenantId: session.tenantId,
          app: r.app,
          foundBy: r.foundBy,
          ...(v.candidates.length ? { candidates: candidatesJson(v.candidates) } : {}),
          ...(hosts ? { ssoMeta: { hosts } } : {}),
        });
      },
    });
  },
};

/** The candidates as --json prints them: {appId, objectId, displayName, createdDateTime, matches}. */
export function candidatesJson(candidates: Candidate[]) {
  return candidates.map(({ appId, objectId, displayName, createdDateTime, matches }) => ({ appId, objectId, displayName, createdDateTime, matches }));
}

/** verify --proof: signs in as the ICE app with a test user and checks the token (null when it cannot run yet). */
async function runProof(ctx: LiveContext, v: VerifyResult): Promise<StepResult | null> {
  const { p, io, inputs, session, signal } = ctx;
  const app = v.observed.application;
  if (!app?.appId || !v.values.audience) {
    io.stderr.write('Proof skipped: the app registration or its Application ID URI does not exist yet (run apply first).\n');
    return null;
  }
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
  const token = await ps.complete(await readLine(signal));
  return checkProofToken(token, target);
}
