// Build and sign a handoff bundle (<site>.icesso): a stored ZIP of the files listed in schemas.ts.
import { AppError } from '../lib/errors';
import type { FrontEndWords } from '../shared/errors';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { safeFileNameWithExt } from '../lib/safe-file-name';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactSign } from 'jose';
import { ICE_DESKTOP_FIELDS, ICE_VALUE_KEYS, type IceValueKey, type RunRecord } from '../core/types';
import { osUserName } from '../lib/os-user';
import type { SiteDocument } from '../sites/schema';
import { minisignKeyIdText, type SigningKey } from './keys';
import { minisignSign } from './minisign';
import { describeFailing, siteReadiness, type EvidenceStep } from './readiness';
import { BUNDLE_VERSION, CONTENT_FILES, MANIFEST_FORMAT, SUMMARY_TEMPLATE, type Manifest } from './schemas';
import { renderSummaryHtml, type SummaryAbout } from './summary-html';
import { writeZip } from './zip';

export const JWS_TYP = 'ice-sso-manifest+jws';
export const MINISIGN_UNTRUSTED_COMMENT = 'signature from ICE SSO Assistant bundle key';

/** A site that cannot be bundled, with the reason and what to do. */
export class BundleRefused extends AppError {
  override name = 'BundleRefused';
  constructor(
    message: string,
    opts: { code?: 'bundle.refused' | 'bundle.no-run' | 'bundle.incomplete'; fields?: Array<{ field: string; message: string }>; todo?: FrontEndWords } = {},
  ) {
    super(opts.code ?? 'bundle.refused', message, { ...(opts.fields ? { fields: opts.fields } : {}), ...(opts.todo ? { todo: opts.todo } : {}) });
  }
}

/** A site with failing steps, exported without the explicit choice to hand over an incomplete bundle. */
export class BundleNotReady extends BundleRefused {
  constructor(
    message: string,
    readonly failing: EvidenceStep[],
  ) {
    // Code bundle.incomplete; `fields` name the failing steps (id and title), for the screen to list.
    super(message, { code: 'bundle.incomplete', fields: failing.map((s) => ({ field: s.id, message: s.title })) });
    this.name = 'BundleNotReady';
  }
}

/**
 * Refuse a site whose latest results have a failing step (naming them), unless the engineer chose to export
 * it anyway (`--allow-incomplete`, or the app's explicit choice); the bundle then says INCOMPLETE.
 */
export function assertReady(site: SiteDocument, allowIncomplete: boolean): void {
  const r = siteReadiness(site);
  if (r.ready || allowIncomplete) return;
  throw new BundleNotReady(
    `site "${site.name}" is not ready: ${r.failing.length} step${r.failing.length === 1 ? '' : 's'} fail${r.failing.length === 1 ? 's' : ''} in its latest results: ${describeFailing(r.failing)}. Fix ${r.failing.length === 1 ? 'it' : 'them'} and verify again, or export anyway with --allow-incomplete (the bundle is then labelled INCOMPLETE).`,
    r.failing,
  );
}

let cachedVersion: string | undefined;
/** The tool version from package.json (walks up from this module; 'unknown' if not found). */
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ice-sso-assistant' && pkg.version) return (cachedVersion = pkg.version);
    } catch {
      /* keep walking up */
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = 'unknown');
}

/** The run a bundle is made from: the latest one; refused unless it stated all eight values. */
export function runForBundle(site: SiteDocument): RunRecord & { values: Record<IceValueKey, string> } {
  const run = site.history.at(-1) as RunRecord | undefined;
  if (!run) {
    throw new BundleRefused(`site "${site.name}" has no verified values yet: no verify or apply has been recorded in it. Verify the site (or apply fixes) first.`, {
      code: 'bundle.no-run',
      todo: { cli: 'With the CLI: `verify --site FILE` or `apply --site FILE`.', app: '' },
    });
  }
  const missing = ICE_VALUE_KEYS.filter((k) => !run.values[k]);
  if (missing.length) {
    const labels = missing.map((k) => ICE_DESKTOP_FIELDS.find((f) => f.key === k)?.label ?? k);
    throw new BundleRefused(`site "${site.name}" has no verified values yet: the last ${run.kind} (${run.at}) could not state ${labels.join(', ')}. Fix the failing steps and run verify again.`);
  }
  const overview = run.steps.find((s) => s.id === 'overview.values');
  if (overview && overview.status !== 'pass') {
    throw new BundleRefused(`site "${site.name}" has no verified values yet: step overview.values is "${overview.status}" in the last ${run.kind} (${run.at}): ${overview.found}`);
  }
  return run as RunRecord & { values: Record<IceValueKey, string> };
}

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
const SECRET_KEYS = /(^|_)(access_?token|refresh_?token|id_?token|client_?secret|password|secret|authorization)$/i;

/** Guard: a bundle never carries a token or a secret (the site should not hold one, but check anyway). */
export function assertNoSecrets(name: string, value: unknown, where = ''): void {
  if (typeof value === 'string') {
    if (JWT_LIKE.test(value)) throw new BundleRefused(`refusing to export: ${name}${where} looks like it holds a token`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertNoSecrets(name, v, `${where}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // A token or secret is a string: Graph's own property names (optionalClaims.accessToken/idToken
      // hold claim lists) are not secrets, so only string values under such keys are refused.
      if (SECRET_KEYS.test(k) && typeof v === 'string' && v) throw new BundleRefused(`refusing to export: ${name}${where}.${k} looks like a secret`);
      assertNoSecrets(name, v, `${where}.${k}`);
    }
  }
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v, null, 2) + '\n', 'utf8');

export interface BuildOptions {
  key: SigningKey;
  createdBy?: string;
  now?: Date;
  /** Export although steps fail (the bundle says INCOMPLETE). */
  allowIncomplete?: boolean;
}

export interface BuiltBundle {
  bytes: Buffer;
  fileName: string;
  fingerprint: string;
  files: Array<{ name: string; size: number; sha256: string }>;
  /** Failing step ids (the bundle says INCOMPLETE when there are any). */
  failing: string[];
}

export function bundleFileName(siteName: string): string {
  const slug = siteName.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80) || 'site';
  return safeFileNameWithExt(slug, '.icesso', { fallback: 'site' });
}

/** SHA256SUMS in the format `sha256sum -c` reads: "<hex>  <name>" per line. */
export function sha256SumsText(files: ReadonlyArray<{ name: string; sha256: string }>): string {
  return files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
}

/** The minisign trusted comment over SHA256SUMS: a function of about.json, checked byte for byte at verify. */
export function trustedCommentFor(about: { createdAt: string; site: { name: string }; signer: { fingerprint: string; keyId: string } }): string {
  return `timestamp:${Math.floor(Date.parse(about.createdAt) / 1000)}\tfile:SHA256SUMS\tsite:${about.site.name.replace(/[\t\r\n]/g, ' ')}\tkey:${about.signer.fingerprint} (minisign key id ${about.signer.keyId})`;
}

/** The content files, rendered from the signed documents (summary.html from about, values and checklist). */
export function contentFiles(docs: { about: SummaryAbout & Record<string, unknown>; values: Record<IceValueKey, string>; checklist: { steps: EvidenceStep[] } & Record<string, unknown>; ssoMeta: unknown; valuesFile: unknown; settings: unknown }): Array<[string, Buffer]> {
  const summary = renderSummaryHtml({ about: docs.about, values: docs.values, steps: docs.checklist.steps });
  const files: Array<[string, Buffer]> = [
    ['summary.html', Buffer.from(summary, 'utf8')],
    ['values.json', json(docs.valuesFile)],
    ['sso-meta.json', json(docs.ssoMeta)],
    ['checklist.json', json(docs.checklist)],
    ['settings.json', json(docs.settings)],
    ['about.json', json(docs.about)],
  ];
  if (files.map(([n]) => n).join() !== CONTENT_FILES.join()) throw new Error('content files out of order');
  return files;
}

/**
 * Sign content files with a key: manifest.json (SHA-256 of each), SHA256SUMS (the same, plus manifest.json,
 * for `sha256sum -c`), its minisign signature, and a JWS over manifest.json. Returns the archive bytes.
 */
export async function sealBundle(files: Array<[string, Buffer]>, key: SigningKey, trustedComment: string, now: Date): Promise<{ bytes: Buffer; manifest: Manifest }> {
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    bundleVersion: BUNDLE_VERSION,
    algorithm: 'SHA-256',
    files: files.map(([name, data]) => ({ name, size: data.length, sha256: sha256Hex(data) })),
  };
  const manifestBytes = json(manifest);
  const sums = Buffer.from(sha256SumsText([...manifest.files, { name: 'manifest.json', sha256: sha256Hex(manifestBytes) }]), 'utf8');
  const minisig = minisignSign(sums, key.privateKey, key.raw, trustedComment, MINISIGN_UNTRUSTED_COMMENT);
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: key.raw.toString('base64url') };
  const jws = await new CompactSign(manifestBytes).setProtectedHeader({ alg: 'EdDSA', typ: JWS_TYP, kid: key.fingerprint, jwk }).sign(key.privateKey);
  const all: Array<[string, Buffer]> = [...files, ['manifest.json', manifestBytes], ['SHA256SUMS', sums], ['SHA256SUMS.minisig', Buffer.from(minisig, 'utf8')], ['manifest.jws', Buffer.from(jws + '\n', 'utf8')]];
  return { bytes: writeZip(all.map(([name, data]) => ({ name, data })), now), manifest };
}

export async function buildBundle(site: SiteDocument, opts: BuildOptions): Promise<BuiltBundle> {
  const run = runForBundle(site);
  assertReady(site, opts.allowIncomplete ?? false);
  const { steps } = siteReadiness(site);
  const now = opts.now ?? new Date();
  const createdAt = now.toISOString();
  const createdBy = opts.createdBy ?? osUserName();
  const tenantId = run.values.tenantId;
  const appId = run.values.clientId;
  const values = Object.fromEntries(ICE_VALUE_KEYS.map((k) => [k, run.values[k]])) as Record<IceValueKey, string>;
  const runInfo = { kind: run.kind, at: run.at, by: run.by };
  const objectId = run.app?.objectId ?? site.app.objectId;
  const about = {
    format: 'ice-sso-bundle',
    bundleVersion: BUNDLE_VERSION,
    createdAt,
    createdBy,
    tool: { name: 'ICE SSO Assistant', version: toolVersion() },
    site: { name: site.name },
    tenant: { id: tenantId, ...(site.tenant.domain ? { domain: site.tenant.domain } : {}) },
    app: { appId, ...(objectId ? { objectId } : {}) },
    run: runInfo,
    signer: { fingerprint: opts.key.fingerprint, keyId: minisignKeyIdText(opts.key.raw) },
    summary: { template: SUMMARY_TEMPLATE },
  };
  const checklist = { format: 'ice-sso-checklist', run: runInfo, steps, ...(run.requests ? { requests: run.requests } : {}) };
  const files = contentFiles({
    about,
    values,
    checklist,
    valuesFile: { format: 'ice-sso-values', values, iceDesktop: ICE_DESKTOP_FIELDS.map((f) => ({ label: f.label, key: f.key, entraName: f.entraName, value: values[f.key] })) },
    ssoMeta: { provider: 'azure_ad', ...values },
    settings: { format: 'ice-sso-settings', settings: site.settings },
  });
  for (const [name, data] of files) if (name.endsWith('.json')) assertNoSecrets(name, JSON.parse(data.toString('utf8')));
  const { bytes, manifest } = await sealBundle(files, opts.key, trustedCommentFor(about), now);
  return { bytes, fileName: bundleFileName(site.name), fingerprint: opts.key.fingerprint, files: manifest.files, failing: steps.filter((s) => s.status === 'fail').map((s) => s.id) };
}
