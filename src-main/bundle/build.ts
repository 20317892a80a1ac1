// Build and sign a handoff bundle (<site>.icesso): a stored ZIP of the files listed in schemas.ts.
import { AppError } from '../lib/errors';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { safeFileNameWithExt } from '../lib/safe-file-name';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactSign } from 'jose';
import { ICE_DESKTOP_FIELDS, ICE_VALUE_KEYS, type IceValueKey, type RunRecord } from '../core/types';
import { osUserName } from '../lib/os-user';
import type { SiteDocument } from '../sites/schema';
import type { SigningKey } from './keys';
import { minisignPublicKeyFile, minisignSign } from './minisign';
import { BUNDLE_VERSION, MANIFEST_FORMAT, type Manifest } from './schemas';
import { renderSummaryHtml } from './summary-html';
import { writeZip } from './zip';

export const JWS_TYP = 'ice-sso-manifest+jws';
export const MINISIGN_UNTRUSTED_COMMENT = 'signature from ICE SSO Assistant bundle key';

/** A site that cannot be bundled, with the reason and what to do. */
export class BundleRefused extends AppError {
  override name = 'BundleRefused';
  constructor(message: string) {
    super('bundle.refused', message);
  }
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
    throw new BundleRefused(`site "${site.name}" has no verified values yet: no verify or apply has been recorded in it. Run \`verify --site FILE\` (or apply) first.`);
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
}

export interface BuiltBundle {
  bytes: Buffer;
  fileName: string;
  fingerprint: string;
  files: Array<{ name: string; size: number; sha256: string }>;
}

export function bundleFileName(siteName: string): string {
  const slug = siteName.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80) || 'site';
  return safeFileNameWithExt(slug, '.icesso', { fallback: 'site' });
}

export async function buildBundle(site: SiteDocument, opts: BuildOptions): Promise<BuiltBundle> {
  const run = runForBundle(site);
  const now = opts.now ?? new Date();
  const createdAt = now.toISOString();
  const createdBy = opts.createdBy ?? osUserName();
  const tenantId = run.values.tenantId;
  const appId = run.values.clientId;
  const values = Object.fromEntries(ICE_VALUE_KEYS.map((k) => [k, run.values[k]])) as Record<IceValueKey, string>;
  const runInfo = { kind: run.kind, at: run.at, by: run.by };
  const version = toolVersion();

  const files: Array<[string, Buffer]> = [];
  const summary = renderSummaryHtml({
    siteName: site.name,
    tenantId,
    ...(site.tenant.domain ? { tenantDomain: site.tenant.domain } : {}),
    appId,
    values,
    steps: run.steps,
    run: runInfo,
    createdAt,
    createdBy,
    toolVersion: version,
    fingerprint: opts.key.fingerprint,
  });
  files.push(['summary.html', Buffer.from(summary, 'utf8')]);
  files.push([
    'values.json',
    json({ format: 'ice-sso-values', values, iceDesktop: ICE_DESKTOP_FIELDS.map((f) => ({ label: f.label, key: f.key, entraName: f.entraName, value: values[f.key] })) }),
  ]);
  files.push(['sso-meta.json', json({ provider: 'azure_ad', ...values })]);
  files.push(['checklist.json', json({ format: 'ice-sso-checklist', run: runInfo, steps: run.steps, ...(run.requests ? { requests: run.requests } : {}) })]);
  files.push(['settings.json', json({ format: 'ice-sso-settings', settings: site.settings })]);
  files.push([
    'about.json',
    json({
      format: 'ice-sso-bundle',
      bundleVersion: BUNDLE_VERSION,
      createdAt,
      createdBy,
      tool: { name: 'ICE SSO Assistant', version },
      site: { name: site.name },
      tenant: { id: tenantId, ...(site.tenant.domain ? { domain: site.tenant.domain } : {}) },
      app: { appId, ...(run.app?.objectId ?? site.app.objectId ? { objectId: run.app?.objectId ?? site.app.objectId } : {}) },
      run: runInfo,
      signer: { fingerprint: opts.key.fingerprint },
    }),
  ]);
  files.push(['minisign.pub', Buffer.from(minisignPublicKeyFile(opts.key.raw), 'utf8')]);
  for (const [name, data] of files) if (name.endsWith('.json')) assertNoSecrets(name, JSON.parse(data.toString('utf8')));

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    bundleVersion: BUNDLE_VERSION,
    algorithm: 'SHA-256',
    files: files.map(([name, data]) => ({ name, size: data.length, sha256: sha256Hex(data) })),
  };
  const manifestBytes = json(manifest);
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: opts.key.raw.toString('base64url') };
  const jws = await new CompactSign(manifestBytes)
    .setProtectedHeader({ alg: 'EdDSA', typ: JWS_TYP, kid: opts.key.fingerprint, jwk })
    .sign(opts.key.privateKey);
  const trusted = `timestamp:${Math.floor(now.getTime() / 1000)}\tfile:manifest.json\tsite:${site.name.replace(/[\t\r\n]/g, ' ')}\tfingerprint:${opts.key.fingerprint}`;
  const minisig = minisignSign(manifestBytes, opts.key.privateKey, opts.key.raw, trusted, MINISIGN_UNTRUSTED_COMMENT);
  files.push(['manifest.json', manifestBytes], ['manifest.jws', Buffer.from(jws + '\n', 'utf8')], ['manifest.json.minisig', Buffer.from(minisig, 'utf8')]);
  const bytes = writeZip(
    files.map(([name, data]) => ({ name, data })),
    now,
  );
  return { bytes, fileName: bundleFileName(site.name), fingerprint: opts.key.fingerprint, files: manifest.files };
}
