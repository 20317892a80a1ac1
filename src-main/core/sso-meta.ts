// server.sso-meta: compare what each ICE Server publishes at GET /sso-meta with the eight values the checklist
// computed (docs/ice-server-fields.md "What the server publishes"). Pure: the fetching is in
// src-main/server/sso-meta.ts; this module only reads its results.
import { CATALOG } from './checklist';
import {
  ICE_DESKTOP_FIELDS,
  SSO_META_KEYS,
  SSO_META_PROVIDER,
  type IceValueKey,
  type IceValues,
  type SsoMetaDifference,
  type SsoMetaHostReport,
  type SsoMetaKey,
  type SsoMetaProblem,
  type StepResult,
  type StepStatus,
} from './types';

export { SSO_META_KEYS, SSO_META_PROVIDER };
export type { SsoMetaDifference, SsoMetaHostReport, SsoMetaKey, SsoMetaProblem };

/** What fetching one host gave: the parsed JSON body (status 200), or the problem. */
export type SsoMetaFetchResult =
  | { host: string; url: string; ok: true; body: unknown; ms?: number }
  | { host: string; url: string; ok: false; problem: SsoMetaProblem; detail: string; status?: number; ms?: number };

export interface SsoMetaComparison {
  step: StepResult;
  hosts: SsoMetaHostReport[];
}

/** https://<host>[:port]/sso (a Settings host) -> the server base https://<host>[:port]. */
export function serverBase(spaRedirectUri: string): string {
  return spaRedirectUri.replace(/\/sso\/?$/i, '').replace(/\/+$/, '');
}

/** The URL the check reads for a Settings host. */
export function ssoMetaUrl(spaRedirectUri: string): string {
  return `${serverBase(spaRedirectUri)}/sso-meta`;
}

const GUID_KEYS: ReadonlySet<string> = new Set<IceValueKey>(['tenantId', 'clientId']);

function labelOf(key: SsoMetaKey): string {
  return ICE_DESKTOP_FIELDS.find((f) => f.key === key)?.label ?? '';
}

/** The server's value for display (never stored: the step's text names keys only); long values are cut. */
function show(v: unknown): string {
  if (v === undefined) return 'missing';
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/** An extra key name worth naming in the stored text: a plain identifier; others are only counted. */
const PLAIN_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

function extraText(extra: readonly string[]): string {
  const plain = extra.filter((k) => PLAIN_KEY.test(k));
  const other = extra.length - plain.length;
  return [...plain, ...(other ? [`${other} other${other === 1 ? '' : 's'} with unusual names`] : [])].join(', ');
}

function sameValue(key: SsoMetaKey, server: unknown, expected: string): boolean {
  if (typeof server !== 'string') return false;
  const a = server.trim();
  return GUID_KEYS.has(key) ? a.toLowerCase() === expected.toLowerCase() : a === expected;
}

const PROBLEM_TEXT: Record<SsoMetaProblem, string> = {
  'not-https': 'not checked: only https is fetched',
  dns: 'unreachable (DNS)',
  refused: 'unreachable (connection refused)',
  tls: 'unreachable (TLS error)',
  network: 'unreachable (connection failed)',
  timeout: 'timeout',
  'http-status': 'answered with an error status',
  redirects: 'redirects did not end at /sso-meta',
  'private-target': 'refused: the answer would come from this computer or a private network',
  'too-large': 'the answer is too large for /sso-meta',
  'not-json': 'the answer is not JSON',
  'not-object': 'the answer is JSON but not an object',
};

/** Network problems mean "could not check" (unknown); a wrong answer from the server is a failure. */
const UNKNOWN_PROBLEMS: ReadonlySet<SsoMetaProblem> = new Set(['not-https', 'dns', 'refused', 'tls', 'network', 'timeout']);

/** Compares one host's result with the expected values (all eight known). */
export function compareHost(expected: Record<IceValueKey, string>, r: SsoMetaFetchResult): SsoMetaHostReport {
  const base = { host: r.host, url: r.url, ...(r.ms !== undefined ? { ms: r.ms } : {}) };
  if (!r.ok) {
    const status = UNKNOWN_PROBLEMS.has(r.problem) ? 'unknown' : 'fail';
    const network = status === 'unknown' && r.problem !== 'not-https' ? ' The check needs network access from this computer to the ICE Server.' : '';
    return { ...base, status, summary: `${PROBLEM_TEXT[r.problem]}: ${r.detail}.${network}`, differences: [], extra: [], problem: r.problem };
  }
  const body = r.body as Record<string, unknown>;
  const want: Record<SsoMetaKey, string> = { provider: SSO_META_PROVIDER, ...expected };
  const differences: SsoMetaDifference[] = [];
  for (const key of SSO_META_KEYS) {
    const server = Object.prototype.hasOwnProperty.call(body, key) ? body[key] : undefined;
    if (!sameValue(key, server, want[key])) differences.push({ key, label: labelOf(key), server: show(server), expected: want[key] });
  }
  const known: ReadonlySet<string> = new Set<string>(SSO_META_KEYS);
  const extra = Object.keys(body).filter((k) => !known.has(k));
  if (!differences.length) {
    return { ...base, status: 'pass', summary: `all ${SSO_META_KEYS.length} documented keys match.`, differences, extra };
  }
  // What the server says is not repeated here (this text is stored in the site and the bundle): key names only.
  const what = differences.map((d) => `${d.key} ${d.server === 'missing' ? 'is missing' : 'differs'}, expected ${JSON.stringify(d.expected)}${d.label ? ` (ICE Desktop field "${d.label}")` : ''}`);
  return { ...base, status: 'fail', summary: `${differences.length} of ${SSO_META_KEYS.length} keys differ: ${what.join('; ')}.`, differences, extra };
}

function worst(statuses: StepStatus[]): Extract<StepStatus, 'pass' | 'fail' | 'unknown'> {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('unknown') || statuses.length === 0) return 'unknown';
  return 'pass';
}

const EXPECTED = "Every ICE host's GET /sso-meta answers with provider \"azure_ad\" and the same eight values as the bundle.";

/**
 * The server.sso-meta step from the per-host fetch results: pass when every host publishes every documented
 * key with the expected value; fail naming each difference (server value vs expected, ICE Desktop field);
 * unknown when a host could not be reached (or when the values are not all known yet).
 */
export function compareSsoMetaDetailed(values: IceValues, responses: readonly SsoMetaFetchResult[]): SsoMetaComparison {
  const title = CATALOG['server.sso-meta'].title;
  const missing = ICE_DESKTOP_FIELDS.filter((f) => !values[f.key]);
  if (missing.length) {
    const step: StepResult = {
      id: 'server.sso-meta',
      status: 'unknown',
      title,
      found: `Not compared: ${missing.map((f) => f.label).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not known yet.`,
      expected: EXPECTED,
      fix: 'Run verify (or apply) until all eight values are known, then check the ICE Server again.',
    };
    return { step, hosts: [] };
  }
  if (!responses.length) {
    const step: StepResult = { id: 'server.sso-meta', status: 'unknown', title, found: 'Not compared: the settings list no ICE host.', expected: EXPECTED, fix: 'Add the ICE hosts on the Setup page (or --host).', reason: 'server-no-hosts' };
    return { step, hosts: [] };
  }
  const hosts = responses.map((r) => compareHost(values as Record<IceValueKey, string>, r));
  const status = worst(hosts.map((h) => h.status));
  const found = hosts
    .map((h) => `${h.url}: ${h.status === 'pass' ? 'matches' : h.status}, ${h.summary}${h.extra.length ? ` Extra keys (not compared): ${extraText(h.extra)}.` : ''}`)
    .join(' ');
  const fixes: string[] = [];
  const diffs = hosts.filter((h) => h.differences.length);
  if (diffs.length) {
    const fields = [...new Set(diffs.flatMap((h) => h.differences.map((d) => d.label || d.key)))];
    fixes.push(`On ${diffs.map((h) => h.host).join(', ')}: in ICE Desktop's SSO settings, correct ${fields.map((f) => `"${f}"`).join(', ')} to the values of the bundle (summary.html), save, then check again.`);
  }
  const broken = hosts.filter((h) => h.status === 'fail' && !h.differences.length);
  if (broken.length) fixes.push(`${broken.map((h) => h.url).join(', ')} did not answer with the /sso-meta JSON: check that the host runs the ICE Server, that SSO is saved there, and that no proxy rewrites the page.`);
  const unreachable = hosts.filter((h) => h.status === 'unknown');
  if (unreachable.length) fixes.push(`Check again from a computer that can reach ${unreachable.map((h) => h.host).join(', ')} over https.`);
  return { step: { id: 'server.sso-meta', status, title, found, expected: EXPECTED, fix: fixes.join(' ') }, hosts };
}

/** The server.sso-meta StepResult (see compareSsoMetaDetailed for the per-host reports). */
export function compareSsoMeta(values: IceValues, responses: readonly SsoMetaFetchResult[]): StepResult {
  return compareSsoMetaDetailed(values, responses).step;
}
