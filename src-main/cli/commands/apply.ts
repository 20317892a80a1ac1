// `apply`: sign in (write permissions), read, plan, and make the Graph writes with live progress; then the
// checklist from the state Graph acknowledged.
import type { ProgressEvent } from '../../graph/engine';
import { recordRun } from '../../ops/site';
import { applyTenant, previewApply, tenantRunOutcome, type RunTarget } from '../../ops/tenant';
import { flag, str, type OptionDef } from '../args';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { resolvePath, useColour } from '../io';
import { APP_OPTIONS, SIGNIN_OPTIONS, printChecklist, runLiveCommand, statsLine } from '../live';
import { auditJson, renderAudit, renderPreview } from '../render';
import { SETTINGS_OPTIONS } from '../settings-options';

import type { CliCommand } from './types';

const OPTIONS: OptionDef[] = [
  ...SIGNIN_OPTIONS,
  ...APP_OPTIONS,
  { name: 'journal', kind: 'string', valueName: 'FILE', description: 'journal file: records ids and completed writes so a run stopped half-way resumes' },
  { name: 'dry-run', kind: 'flag', description: 'read and plan only: print the writes apply would make (with --json: {"writes","steps","values","requests"}); signs in read-only, writes nothing, exit 0' },
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
  usage:
    'apply --tenant T [--device-code|--browser] [--client-id C] [--cloud global|usgov|china | --login-url U --graph-url U]\n' +
    '      [--object-id ID | --app-id ID | --unique-name N] [--journal FILE] [--site FILE] [--dry-run] [settings options as for audit] [--json]',
  options: OPTIONS,
  details:
    'Asks for Application.ReadWrite.All, plus DelegatedPermissionGrant.ReadWrite.All only with --consent admins. ' +
    'Re-running is safe: it finds the app it made (saved ids, else its uniqueName) and writes only what differs.\n' +
    `Exit code: 0 when no step fails afterwards, 1 when any does, 2 for bad input or usage, ${EXIT.service} when sign-in or ` +
    'Microsoft Graph fails (the message says why; run again to resume).\n' +
    'A custom cloud with a private CA: set NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
  run(argv, io) {
    return runLiveCommand(argv, io, {
      name: 'apply',
      options: OPTIONS,
      // A dry run reads only: it signs in with verify's read-only permissions.
      purpose: (p, settings) => (flag(p, 'dry-run') ? { action: 'verify' } : { action: 'apply', consent: settings.consent }),
      async work(ctx) {
        const { p, io, inputs, session, signal, json } = ctx;
        const journal = str(p, 'journal');
        // A site remembers the scope id it planned with (ctx.target.scopeId), so a run stopped before its journal
        // existed (or run without one) plans the same scope again, and the dry run shows the id apply will use.
        const target: RunTarget = { ...ctx.target, ...(journal ? { journalPath: resolvePath(io, journal) } : {}) };
        if (flag(p, 'dry-run')) {
          const r = await previewApply({ session, signal }, target);
          if (json) {
            io.stdout.write(`${JSON.stringify({ writes: r.writes, ...auditJson(r), requests: r.stats.graphRequests, roundTrips: r.stats.roundTrips, tenantId: session.tenantId, app: r.app }, null, 2)}\n`);
          } else {
            const a = r.observed.application;
            const note = a
              ? `Tenant ${session.tenantId}: app registration "${a.displayName ?? '(no name)'}" (client id ${a.appId ?? '?'}).`
              : `Tenant ${session.tenantId}: no app registration yet (apply would create "${inputs.settings.displayName}", uniqueName ${r.app.uniqueName ?? '?'}).`;
            io.stdout.write(renderPreview(r.writes, useColour(io), note));
            io.stdout.write(renderAudit(r, useColour(io), 'The checklist now (before any write)'));
            io.stderr.write(statsLine(r.stats));
          }
          return 0;
        }
        if (!json) io.stderr.write(`Signed in as ${session.username} (tenant ${session.tenantId}).\n`);
        const r = await applyTenant({ session, signal, onProgress: progressWriter(io, json) }, target);
        if (!json && r.writes === 0) io.stderr.write('Nothing to write: the registration already matches.\n');
        if (inputs.site) await recordRun(inputs.site, tenantRunOutcome('apply', session, r));
        const a = r.observed.application;
        return printChecklist(ctx, r, `ICE SSO checklist for "${a?.displayName ?? inputs.settings.displayName}" (client id ${a?.appId ?? '?'}) after apply`, {
          writes: r.writes,
          tenantId: session.tenantId,
          app: r.app,
        });
      },
    });
  },
};
