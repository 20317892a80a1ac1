// Offline review: a signed bundle, a saved site file, or an application JSON (GET /applications/{id}, a list
// answer with one, or the portal's Manifest download). Reads files only; no sign-in, no network. Application
// JSON goes through THE Graph-file parser (graph/files), so Review accepts and refuses exactly what
// `audit --app` does.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { audit } from '../core/audit';
import { CLOUDS } from '../core/clouds';
import { DEFAULTS, normaliseHost, parseSettings } from '../core/settings';
import type { Cloud, GraphApplication, IceValues, Settings, StepResult } from '../core/types';
import type { TrustedKey } from '../bundle/trust';
import { verifyBundle, type VerifyReport } from '../bundle/verify';
import { parseGraphJson, toApplication } from '../graph/files';
import { AppError } from '../lib/errors';
import { checkSize, parseJsonWithinLimits } from '../lib/input-limits';
import { latestRun, parseSiteText } from '../sites/store';

export interface ReviewOutcome {
  source: 'bundle' | 'site' | 'application';
  file: string;
  title: string;
  steps: StepResult[];
  values?: IceValues;
  /** For portal links. */
  cloud?: Cloud;
  appId?: string;
  /** What a step the file does not report says. */
  notRunReason?: string;
  /** The bundle's verification report (bundles only). */
  bundle?: VerifyReport;
  settings?: Settings;
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
  const fallbackHosts = hosts.length ? hosts : ['your-ice-server.example'];
  const parsed = parseSettings({
    displayName: app.displayName ?? DEFAULTS.displayName,
    hosts: fallbackHosts,
    ...(typeof app.signInAudience === 'string' ? { signInAudience: app.signInAudience } : {}),
  });
  if (parsed.ok) return { settings: parsed.settings, assumed: true };
  const fallback = parseSettings({ hosts: fallbackHosts });
  // The defaults with normalised hosts always validate: anything else is a bug (an internal error).
  if (!fallback.ok) throw new Error(`default settings do not validate: ${JSON.stringify(fallback.errors)}`);
  return { settings: fallback.settings, assumed: true };
}

export async function readReviewFile(file: string): Promise<Buffer> {
  let st;
  try {
    st = await fsp.stat(file);
  } catch (e) {
    throw new AppError('file.unreadable', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  if (!st.isFile()) throw new AppError('file.unreadable', `${file}: not a file.`);
  checkSize(st.size, file); // InputLimitError (file.too-large) naming the limit
  return fsp.readFile(file);
}

/** A bundle is a ZIP archive ("PK"). */
export function looksLikeBundle(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b;
}

export interface ReviewContext {
  siteSettings?: Settings;
  tenantId?: string;
  /** The keys the admin trusts: a bundle signed by one verifies as VALID. */
  trusted?: readonly TrustedKey[];
}

/** Reviews file contents: a bundle (ZIP), a site document, else an application JSON. */
export async function reviewBytes(bytes: Buffer, file: string, opts: ReviewContext = {}): Promise<ReviewOutcome> {
  if (looksLikeBundle(bytes)) {
    const report = await verifyBundle(bytes, file, opts.trusted ? { trusted: opts.trusted } : {});
    const sum = report.summary;
    const cloud = cloudFromUrl(sum?.values.authorizationUrl);
    return {
      source: 'bundle',
      file,
      title: sum ? `Bundle for ${sum.site} (tenant ${sum.tenantDomain ?? sum.tenantId})` : `Bundle ${path.basename(file)}`,
      bundle: report,
      steps: sum?.steps ?? [],
      ...(sum ? { values: sum.values } : {}),
      ...(cloud ? { cloud } : {}),
      ...(sum?.values.clientId ? { appId: sum.values.clientId } : {}),
      notRunReason: 'Not in the bundle.',
    };
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = parseJsonWithinLimits(text, file); // size and nesting limits first (InputLimitError)
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new AppError('file.unreadable', `${file}: neither a bundle (.icesso) nor JSON (${e.message}).`);
  }
  if (raw && typeof raw === 'object' && (raw as { format?: unknown }).format === 'ice-sso-site') {
    const { site } = parseSiteText(text, file);
    const parsed = parseSettings(site.settings);
    const run = latestRun(site);
    return {
      source: 'site',
      file,
      title: `Site ${site.name}`,
      steps: Object.values(site.lastResults) as StepResult[],
      ...(run ? { values: run.values } : {}),
      ...(parsed.ok ? { cloud: parsed.settings.cloud, settings: parsed.settings } : {}),
      ...(site.app.appId ? { appId: site.app.appId } : {}),
    };
  }
  const app = toApplication(parseGraphJson(text, file), file);
  const { settings, assumed } = settingsForApplication(app, opts.siteSettings);
  const result = audit({ application: app, ...(opts.tenantId ? { tenantId: opts.tenantId } : {}) }, settings);
  return {
    source: 'application',
    file,
    title: `Application ${app.displayName ?? app.appId ?? path.basename(file)}${assumed ? ' (compared with the guide’s defaults: open a site first to compare with its settings)' : ''}`,
    steps: result.steps,
    values: result.values,
    cloud: settings.cloud,
    ...(app.appId ? { appId: app.appId } : {}),
    settings,
  };
}

/** Reads and reviews a file. */
export async function reviewFile(file: string, opts: ReviewContext = {}): Promise<ReviewOutcome> {
  return reviewBytes(await readReviewFile(file), file, opts);
}
