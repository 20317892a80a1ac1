// `apply`: sign in (write permissions), read, plan, and make the Graph writes with live progress; then the
// checklist from the state Graph acknowledged.
import { auditExitCode } from '../../core/audit';
import { apply, type ProgressEvent } from '../../graph/engine';
import { flag, parseArgs, str, type OptionDef } from '../args';
import { UsageError } from '../errors';
import type { CliIO } from '../io';
import { useColour } from '../io';
import { renderAudit } from '../render';
import { SETTINGS_OPTIONS } from '../settings-options';
import { APP_OPTIONS, EXIT_SERVICE, SIGNIN_OPTIONS, appIdsForSite, cancelOnSigint, jsonOutput, liveInputs, openCliSession, serviceFailure, statsLine, whoRan } from './signin';

import type { CliCommand } from './types';

const OPTIONS: OptionDef[] = [
  ...SIGNIN_OPTIONS,
  ...APP_OPTIONS,
  { name: 'journal', kind: 'string', valueName: 'FILE', description: 'journal file: records ids and completed writes so a run stopped half-way resumes' },
  ...SETTINGS_OPTIONS,
  { name: 'json', kind: 'flag', description: 'print the audit shape plus "requests", "roundTrips", "writes" (no progress lines)' },
];

const MARK: Record<ProgressEvent['type'], string> = { started: '…', request: '→', done: '✔', failed: '✖' };

export function progressLine(e: ProgressEvent): string | null {
  if (e.type === 'started') return `${MARK.started} ${e.summary}`;
  if (e.type === 'request') return `  ${MARK.request} ${e.method} ${e.path}`;
  if (e.type === 'done') return `  ${MARK.done} ${e.key} (${e.status})`;
  return `  ${MARK.failed} ${e.key}${e.status ? ` (${e.status})` : ''}: ${e.reason ?? 'failed'}`;
}

function progressWriter(io: CliIO, quiet: boolean) {
  return (e: ProgressEvent) => {
    if (quiet) return;
    const line = progressLine(e);
    if (line) io.stderr.write(`${line}\n`);
  };
}

export const command: CliCommand = {
  name: 'apply',
  summary: 'sign in and create or repair the app registration, service principal (and admin consent) as the ICE guide asks',
  usage:
    'apply --tenant T [--device-code|--browser] [--client-id C] [--cloud global|usgov|china | --login-url U --graph-url U]\n' +
    '      [--object-id ID | --app-id ID | --unique-name N] [--journal FILE] [--site FILE] [settings options as for audit] [--json]',
  options: OPTIONS,
  details:
    'Asks for Application.ReadWrite.All, plus DelegatedPermissionGrant.ReadWrite.All only with --consent admins. ' +
    'Re-running is safe: it finds the app it made (saved ids, else its uniqueName) and writes only what differs.\n' +
    `Exit code: 0 when no step fails afterwards, 1 when any does, 2 for bad input or usage, ${EXIT_SERVICE} when sign-in or ` +
    'Microsoft Graph fails (the message says why; run again to resume).\n' +
    'A custom cloud with a private CA: set NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
  async run(argv, io) {
    const p = parseArgs(argv, OPTIONS, 'apply');
    if (p.positionals.length) throw new UsageError(`apply takes no positional arguments (got ${p.positionals.map((x) => JSON.stringify(x)).join(' ')}).`);
    const inputs = await liveInputs(p, io);
    const json = flag(p, 'json');
    const journal = str(p, 'journal');
    const cancel = cancelOnSigint(io);
    try {
      const session = await openCliSession(p, io, inputs.settings.cloud, inputs.tenant, { action: 'apply', consent: inputs.settings.consent }, cancel.signal);
      if (!json) io.stderr.write(`Signed in as ${session.username} (tenant ${session.tenantId}).\n`);
      const r = await apply(session.graph, {
        settings: inputs.settings,
        tenantId: session.tenantId,
        hint: inputs.hint,
        readGrants: session.readGrants,
        signal: cancel.signal,
        ...(journal ? { journalPath: journal.startsWith('/') ? journal : `${io.cwd}/${journal}` } : {}),
        onProgress: progressWriter(io, json),
      });
      if (!json && r.writes === 0) io.stderr.write('Nothing to write: the registration already matches.\n');
      if (inputs.site) {
        await inputs.site.record({
          kind: 'apply',
          at: new Date().toISOString(),
          by: whoRan(session.username),
          tenantId: session.tenantId,
          app: appIdsForSite(r.app, r.scopeId),
          steps: r.steps,
          values: r.values,
          requests: r.requests,
        });
      }
      if (json) {
        io.stdout.write(jsonOutput(r, r.stats, { writes: r.writes, tenantId: session.tenantId, app: r.app }));
      } else {
        const a = r.observed.application;
        io.stdout.write(renderAudit(r, useColour(io), `ICE SSO checklist for "${a?.displayName ?? inputs.settings.displayName}" (client id ${a?.appId ?? '?'}) after apply`));
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
