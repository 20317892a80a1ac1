// What the live commands (verify, apply) share around their own work: arguments, settings/tenant/site,
// Ctrl-C, sign-in, recording in the site, the checklist output and the failure → exit code mapping.
import type { AccessPurpose } from '../auth/scopes';
import { auditExitCode } from '../core/audit';
import type { AuditResult, RecordedRequest, Settings } from '../core/types';
import type { AppIds } from '../graph/engine';
import type { GraphStats } from '../graph/http';
import type { Session } from '../graph/session';
import { flag, parseArgs, type OptionDef, type ParsedArgs } from './args';
import { UsageError } from './errors';
import { useColour, type CliIO } from './io';
import { renderAudit } from './render';
import { confirmCloud } from './cloud-confirm';
import { appIdsForSite, cancelOnSigint, jsonOutput, liveInputs, openCliSession, serviceFailure, statsLine, whoRan, type LiveInputs } from './commands/signin';

export interface LiveContext {
  p: ParsedArgs;
  io: CliIO;
  inputs: LiveInputs;
  session: Session;
  signal: AbortSignal;
  json: boolean;
}

export interface LiveCommandSpec {
  name: string;
  options: OptionDef[];
  /** The permissions to sign in for (least privilege), from the parsed options and settings. */
  purpose(p: ParsedArgs, settings: Settings): AccessPurpose;
  /** The command's own work; returns the exit code. */
  work(ctx: LiveContext): Promise<number>;
}

/** Parses, reads the settings/site, signs in, runs `work`; sign-in and Graph failures exit 3 with the reason. */
export async function runLiveCommand(argv: string[], io: CliIO, spec: LiveCommandSpec): Promise<number> {
  const p = parseArgs(argv, spec.options, spec.name);
  if (p.positionals.length) throw new UsageError(`${spec.name} takes no positional arguments (got ${p.positionals.map((x) => JSON.stringify(x)).join(' ')}).`);
  const inputs = await liveInputs(p, io);
  // Before anything is sent: a custom cloud from the site file needs this machine's trust (issue 8).
  await confirmCloud(io, inputs.settings.cloud, { fromFile: inputs.cloudFromFile === true, trustFlag: flag(p, 'trust-cloud'), ...(inputs.site ? { siteName: inputs.site.name } : {}) });
  await settingsChangedAgainstSite(p, io, inputs);
  const cancel = cancelOnSigint(io);
  try {
    const session = await openCliSession(p, io, inputs.settings.cloud, inputs.tenant, spec.purpose(p, inputs.settings), cancel.signal, inputs.clientId);
    return await spec.work({ p, io, inputs, session, signal: cancel.signal, json: flag(p, 'json') });
  } catch (e) {
    const code = serviceFailure(e, io);
    if (code === null) throw e;
    return code;
  } finally {
    cancel.done();
  }
}

export interface LiveOutcome extends AuditResult {
  app: AppIds;
  stats: GraphStats;
  requests?: RecordedRequest[];
  scopeId?: string;
}

/**
 * --site with settings options that change what the site holds (e.g. --host NEW): --save saves them in the site
 * first; otherwise they are for this run only and the result is not recorded (the site would hold a result for
 * settings it does not have).
 */
async function settingsChangedAgainstSite(p: ParsedArgs, io: CliIO, inputs: LiveInputs): Promise<void> {
  if (!inputs.site || !inputs.changedSettings.length) return;
  const what = inputs.changedSettings.join(', ');
  if (flag(p, 'save') && inputs.mergedSettingsInput && inputs.sitePath) {
    const { updateSite, SiteError } = await import('../sites/store');
    const { parseSettings } = await import('../core/settings');
    try {
      await updateSite(inputs.sitePath, { settings: inputs.mergedSettingsInput as Record<string, unknown> }, (x) => {
        const r = parseSettings(x);
        return r.ok ? null : r.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      });
    } catch (e) {
      if (e instanceof SiteError) throw new UsageError(`--save: ${e.message}`);
      throw e;
    }
    io.stderr.write(`Saved the changed settings (${what}) in site "${inputs.site.name}".\n`);
    return;
  }
  inputs.recordable = false;
  io.stderr.write(
    `Note: ${what} differ${inputs.changedSettings.length === 1 ? 's' : ''} from what site "${inputs.site.name}" holds: used for this run only, ` +
      'and the result is not recorded in the site. Add --save to save the change in the site (or use sites set).\n',
  );
}

/** Records the run in the site (when --site was given and the run used the site's own settings). */
export async function recordInSite(ctx: LiveContext, kind: 'verify' | 'apply', r: LiveOutcome): Promise<void> {
  if (!ctx.inputs.site || ctx.inputs.recordable === false) return;
  await ctx.inputs.site.record({
    kind,
    at: new Date().toISOString(),
    by: whoRan(ctx.session.username),
    tenantId: ctx.session.tenantId,
    app: appIdsForSite(r.app, r.scopeId),
    steps: r.steps,
    values: r.values,
    ...(r.requests ? { requests: r.requests } : {}),
  });
}

/** The checklist: JSON on stdout (with `jsonExtra`), or the human checklist on stdout and the stats on stderr. Returns the exit code. */
export function printChecklist(ctx: LiveContext, r: LiveOutcome, heading: string, jsonExtra: Record<string, unknown>): number {
  if (ctx.json) {
    ctx.io.stdout.write(jsonOutput(r, r.stats, jsonExtra));
  } else {
    ctx.io.stdout.write(renderAudit(r, useColour(ctx.io), heading));
    ctx.io.stderr.write(statsLine(r.stats));
    if (ctx.inputs.site && ctx.inputs.recordable !== false) ctx.io.stderr.write(`Recorded in site "${ctx.inputs.site.name}".\n`);
  }
  return auditExitCode(r);
}
