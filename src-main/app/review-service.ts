// Offline review: a signed bundle, a saved site file, or an application JSON (GET /applications/{id}
// or the portal's Manifest download). Reads files only; no sign-in, no network.
import { MAX_INPUT_BYTES, parseJsonWithinLimits, sizeDetail } from '../lib/input-limits';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { audit } from '../core/audit';
import { CLOUDS } from '../core/clouds';
import { DEFAULTS, normaliseHost, parseSettings } from '../core/settings';
import type { Cloud, GraphApplication, Settings, StepResult } from '../core/types';
import { trustExplanation } from '../bundle/flows';
import type { TrustedKey } from '../bundle/trust';
import { verifyBundle, type VerifyReport } from '../bundle/verify';
import { parseSiteText } from '../sites/store';
import { latestRun } from '../sites/store';
import type { ReviewView, SignatureReport } from '../shared/ipc-contract';
import { buildChecklistView } from './checklist-view';
import { UserError } from './sites-service';

const MAX_FILE = MAX_INPUT_BYTES;

export function signatureReport(r: VerifyReport): SignatureReport {
  const out: SignatureReport = {
    verdict: r.verdict,
    valid: r.verdict === 'VALID',
    explanation: trustExplanation(r, { trustCommand: 'Trust a key, below' }).map((l) => l.replace(/`keys show`/g, 'keys show')),
    problems: r.problems.map((p) => p.message),
    warnings: r.warnings,
  };
  if (r.signer?.fingerprint) {
    out.fingerprint = r.signer.fingerprint;
    out.keyId = r.signer.keyId;
  }
  if (r.complete !== undefined) out.complete = r.complete;
  if (r.failing) out.failing = r.failing;
  if (r.summary?.createdBy) out.signedBy = r.summary.createdBy;
  if (r.summary?.createdAt) out.signedAt = r.summary.createdAt;
  return out;
}

/** The cloud whose login host a value (an authorization URL) names, for portal links. */
function cloudFromUrl(url: string | null | undefined): Cloud | undefined {
  if (!url) return undefined;
  try {
    const host = new URL(url).host;
    return Object.values(CLOUDS).find((c) => new URL(c.loginUrl).host === host);
  } catch {
    return undefined;
  }
}

/** An application object from JSON: the object itself, or a Graph list answer with exactly one. */
export function applicationFrom(raw: unknown, file: string): GraphApplication {
  let v = raw;
  if (v && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as { value?: unknown }).value)) {
    const list = (v as { value: unknown[] }).value;
    if (list.length !== 1) throw new UserError(`${file}: a Graph list with ${list.length} applications; save the one application (GET /applications/{id}) instead.`);
    v = list[0];
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UserError(`${file}: not an application object (expected a JSON object as GET /applications/{id} returns).`);
  const o = v as Record<string, unknown>;
  const looksLikeApp = ['appId', 'signInAudience', 'identifierUris', 'requiredResourceAccess', 'api', 'spa'].some((k) => k in o);
  if (!looksLikeApp) throw new UserError(`${file}: not an application object (none of appId, signInAudience, identifierUris, api, spa is present).`);
  return o as GraphApplication;
}

/** Settings for auditing a loose application JSON: the current site's, else defaults + the app's own SPA hosts. */
export function settingsForApplication(app: GraphApplication, site?: Settings): { settings: Settings; assumed: boolean } {
  if (site) return { settings: site, assumed: false };
  const hosts: string[] = [];
  for (const uri of app.spa?.redirectUris ?? []) {
    try {
      hosts.push(normaliseHost(uri));
    } catch {
      /* not an ICE host */
    }
  }
  const parsed = parseSettings({
    displayName: app.displayName ?? DEFAULTS.displayName,
    hosts: hosts.length ? hosts : ['your-ice-server.example'],
    ...(typeof app.signInAudience === 'string' ? { signInAudience: app.signInAudience } : {}),
  });
  if (parsed.ok) return { settings: parsed.settings, assumed: true };
  const fallback = parseSettings({ hosts: hosts.length ? hosts : ['your-ice-server.example'] });
  if (!fallback.ok) throw new UserError('Cannot build settings to compare this application with.');
  return { settings: fallback.settings, assumed: true };
}

export async function readReviewFile(file: string): Promise<Buffer> {
  let st;
  try {
    st = await fsp.stat(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  if (!st.isFile()) throw new UserError(`${file}: not a file.`);
  if (st.size > MAX_FILE) throw new UserError(`${file}: ${sizeDetail(st.size, MAX_FILE)}.`);
  return fsp.readFile(file);
}

/** A bundle is a ZIP archive ("PK"). */
export function looksLikeBundle(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b;
}

export async function reviewBytes(bytes: Buffer, file: string, opts: { siteSettings?: Settings; tenantId?: string; trusted?: readonly TrustedKey[] } = {}): Promise<ReviewView> {
  if (looksLikeBundle(bytes)) {
    const report = await verifyBundle(bytes, file, opts.trusted ? { trusted: opts.trusted } : {});
    const sum = report.summary;
    const view: ReviewView = {
      source: 'bundle',
      file,
      title: sum ? `Bundle for ${sum.site} (tenant ${sum.tenantDomain ?? sum.tenantId})` : `Bundle ${path.basename(file)}`,
      signature: signatureReport(report),
      checklist: buildChecklistView(sum?.steps ?? [], sum?.values, cloudFromUrl(sum?.values.authorizationUrl), sum?.values.clientId, 'Not in the bundle.'),
    };
    return view;
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = parseJsonWithinLimits(text, file);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw new UserError(`${(e as Error).message}.`);
    throw new UserError(`${file}: neither a bundle (.icesso) nor JSON (${(e as Error).message}).`);
  }
  if (raw && typeof raw === 'object' && (raw as { format?: unknown }).format === 'ice-sso-site') {
    const { site } = parseSiteText(text, file);
    const parsed = parseSettings(site.settings);
    const run = latestRun(site);
    return {
      source: 'site',
      file,
      title: `Site ${site.name}`,
      checklist: buildChecklistView(Object.values(site.lastResults) as StepResult[], run?.values, parsed.ok ? parsed.settings.cloud : undefined, site.app.appId),
      ...(parsed.ok ? { settings: parsed.settings } : {}),
    };
  }
  const app = applicationFrom(raw, file);
  const { settings, assumed } = settingsForApplication(app, opts.siteSettings);
  const result = audit({ application: app, ...(opts.tenantId ? { tenantId: opts.tenantId } : {}) }, settings);
  return {
    source: 'application',
    file,
    title: `Application ${app.displayName ?? app.appId ?? path.basename(file)}${assumed ? ' (compared with the guide’s defaults: open a site first to compare with its settings)' : ''}`,
    checklist: buildChecklistView(result.steps, result.values, settings.cloud, app.appId),
    settings,
  };
}
