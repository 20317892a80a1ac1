// `apply`: sign in (write permissions), read, plan, and make the Graph writes with live progress; then the
// checklist from the state Graph acknowledged.
import { ApplyInterruptedError, WriteRefusedError, type ProgressEvent } from '../../graph/engine';
import { nameApp } from '../../graph/read';
import { applyTenant, interruptedRunOutcome, previewApply, tenantRunOutcome, type RunTarget } from '../../ops/tenant';
import { flag, str, type OptionDef } from '../args';
import { askAtTerminal } from '../cloud-confirm';
import { UsageError } from '../errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { resolvePath, useColour } from '../io';
import { APP_OPTIONS, SIGNIN_OPTIONS, printChecklist, recordInSite, runLiveCommand, statsLine, type LiveContext } from '../live';
import { candidatesJson } from './verify';
import { auditJson, renderAudit, renderPreview } from '../render';
import { SETTINGS_OPTIONS } from '../settings-options';

import type { CliCommand } from './types';

const OPTIONS: OptionDef[] = [
  ...SIGNIN_OPTIONS,
  ...APP_OPTIONS,
  { name: 'adopt', kind: 'flag', description: 'work on the registration given with --app-id/--object-id although ICE SSO Assistant did not make it: its tag is added (a write shown in the plan) so later runs recognise it' },
  { name: 'create-new', kind: 'flag', description: 'create a new registration even though existing ones look like ICE\'s' },
  { name: 'journal', kind: 'string', valueName: 'FILE', description: 'journal file: records ids and completed writes so a run stopped half-way resumes' },
  { name: 'dry-run', kind: 'flag', description: 'read and plan only: print the writes apply would make (with --json: {"writes","steps","values","requests"}); signs in read-only, writes nothing, exit 0' },
  ...SETTINGS_OPTIONS,
  { name: 'json', kind: 'flag', description: 'print the audit shape plus "requests", "roundTrips", "writes" (no progress lines)' },
];

const MARK: Record<ProgressEvent['type'], string> = { started: '…', request: '→', done: '✔', failed: '✖' };

export function progressLine(e: ProgressEvent): string | null {
  if (e.type === 'started') return `${MARK.started} ${e.summary}`;
  if (e.type === 'request') return `  ${MARK.request} ${e.method} ${e.path}`;
  if (e.type === 'done') return `  ${MARK.done} ${e.key}${e.status ? ` (${e.status})` : ''}${e.reason ? `: ${e.reason}` : ''}`;
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
      purpose: (p, settings) => {
        // Usage checked before any sign-in.
        if (flag(p, 'adopt') && flag(p, 'create-new')) throw new UsageError('give either --adopt (work on an existing registration) or --create-new, not both.');
        if (flag(p, 'adopt') && !str(p, 'app-id') && !str(p, 'object-id')) {
          throw new UsageError('--adopt needs the registration to adopt: give --app-id <client id> (as verify lists it), or --object-id.');
        }
        return flag(p, 'dry-run') ? { action: 'verify' } : { action: 'apply', consent: settings.consent };
      },
      async work(ctx) {
        const { p, io, inputs, session, signal, json } = ctx;
        const journal = str(p, 'journal');
        // A site remembers the scope id it planned with (ctx.target.scopeId), so a run stopped before its journal
        // existed (or run without one) plans the same scope again, and the dry run shows the id apply will use.
        const target: RunTarget = { ...ctx.target, ...(journal ? { journalPath: resolvePath(io, journal) } : {}), adopt: flag(p, 'adopt'), createNew: flag(p, 'create-new') };
        // At a terminal, a registration the assistant did not make is adopted only after a yes to a prompt naming it.
        const confirmAdopt = !json ? (app: AdoptPrompt) => askAdopt(io, app) : undefined;
        const op = { session, signal, ...(confirmAdopt ? { confirmAdopt } : {}) };
        if (flag(p, 'dry-run')) {
          const r = await refusalAsJson(ctx, () => previewApply(op, target));
          if (typeof r === 'number') return r;
          if (json) {
            io.stdout.write(`${JSON.stringify({ writes: r.writes, ...auditJson(r), requests: r.stats.graphRequests, roundTrips: r.stats.roundTrips, tenantId: session.tenantId, app: r.app }, null, 2)}\n`);
          } else {
            const a = r.observed.application;
            const note = a
              ? `Target: app registration "${a.displayName ?? '(no name)'}" (client id ${a.appId ?? '?'}) in tenant ${session.tenantId}.`
              : `Target: a new app registration "${inputs.settings.displayName}" (uniqueName ${r.app.uniqueName ?? '?'}) in tenant ${session.tenantId}.`;
            io.stdout.write(renderPreview(r.writes, useColour(io), note));
            io.stdout.write(renderAudit(r, useColour(io), 'The checklist now (before any write)'));
            io.stderr.write(statsLine(r.stats));
          }
          return 0;
        }
        if (!json) io.stderr.write(`Signed in as ${session.username} (tenant ${session.tenantId}).\n`);
        let r: Awaited<ReturnType<typeof applyTenant>>;
        try {
          const got = await refusalAsJson(ctx, () => applyTenant({ ...op, onProgress: progressWriter(io, json) }, target));
          if (typeof got === 'number') return got;
          r = got;
        } catch (e) {
          if (e instanceof ApplyInterruptedError) return interrupted(ctx, e);
          throw e;
        }
        if (!json && r.writes === 0) io.stderr.write('Nothing to write: the registration already matches.\n');
        await recordInSite(ctx, tenantRunOutcome('apply', session, r));
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

type AdoptPrompt = { displayName: string; appId: string; objectId: string; createdDateTime: string | null };

/** Asks at the terminal whether to adopt a registration the assistant did not make (default no; no terminal: no). */
async function askAdopt(io: CliIO, app: AdoptPrompt): Promise<boolean> {
  const created = app.createdDateTime ? `, created ${app.createdDateTime.slice(0, 10)},` : '';
  const q =
    `The registration ${nameApp(app)}${created} was not made by ICE SSO Assistant.\n` +
    'Adopt it and write the ICE settings to it (its tag is added so later runs recognise it)? [y/N] ';
  return (await askAtTerminal(io, q)) === true;
}

/** Runs an operation; with --json, a refusal to write (not adopted, candidates) prints the candidates and exits 2. */
async function refusalAsJson<T>(ctx: LiveContext, fn: () => Promise<T>): Promise<T | number> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof WriteRefusedError) || !ctx.json) throw e;
    ctx.io.stdout.write(
      `${JSON.stringify({ error: e.message, reason: e.reason, ...(e.target ? { target: e.target } : {}), candidates: candidatesJson(e.candidates), writes: 0 }, null, 2)}\n`,
    );
    ctx.io.stderr.write(`error: ${e.message}\n`);
    return EXIT.usage;
  }
}

/** Ctrl-C or a dropped connection during apply: each write applied or not (Graph read again), the run recorded. */
async function interrupted(ctx: LiveContext, e: ApplyInterruptedError): Promise<number> {
  const { io, session } = ctx;
  const lines = e.outcomes.map((o) => `  ${o.applied ? '✔ applied    ' : '✖ not applied'} ${o.key}: ${o.summary}`);
  io.stderr.write(`${e.message}\n${lines.join('\n')}\n`);
  const outcome = interruptedRunOutcome(session, e);
  if (outcome) {
    await recordInSite(ctx, outcome)
      .then((recorded) => recorded && io.stderr.write(`Recorded the interrupted run in site "${ctx.inputs.site!.name}".\n`))
      .catch((err: Error) => io.stderr.write(`warning: could not record the run in the site: ${err.message}\n`));
  }
  if (ctx.json) {
    io.stdout.write(`${JSON.stringify({ interrupted: true, cancelled: e.cancelled, outcomes: e.outcomes, ...(e.result ? { steps: e.result.steps, values: e.result.values, app: e.result.app } : {}) }, null, 2)}\n`);
  }
  return e.cancelled ? EXIT.interrupted : EXIT.service;
}
