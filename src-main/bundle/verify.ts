// Verify a bundle: archive structure, then the signature (EdDSA only), then every hash, then the schemas.
// Each problem is reported as exactly what it is (which file, which key, what changed).
import { compactVerify, errors as joseErrors } from 'jose';
import type { KeyObject } from 'node:crypto';
import { ICE_VALUE_KEYS, type IceValueKey, type StepResult } from '../core/types';
import { formatZodIssues } from '../lib/zod-issues';
import { parseJsonWithinLimits } from '../lib/input-limits';
import { JWS_TYP, MINISIGN_UNTRUSTED_COMMENT, sha256Hex, sha256SumsText, trustedCommentFor } from './build';
import { fingerprintOf, keyLabel, minisignKeyIdText, parseFingerprint, publicKeyFromRaw, rawPublicKey } from './keys';
import { minisignVerify } from './minisign';
import { failingSteps, type EvidenceStep } from './readiness';
import { ALL_FILES, BUNDLE_VERSION, CONTENT_FILES, FILE_SCHEMAS, SIGNATURE_FILES, SUMMARY_TEMPLATE, manifestSchema, type Manifest } from './schemas';
import { renderSummaryHtml, type SummaryAbout } from './summary-html';
import type { TrustedKey } from './trust';
import { readZip, ZipError, type ZipEntry } from './zip';

export type BundleProblemCode =
  | 'not-zip'
  | 'truncated'
  | 'bad-archive'
  | 'missing-file'
  | 'extra-file'
  | 'changed-file'
  | 'bad-header'
  | 'bad-signature'
  | 'wrong-key'
  | 'manifest-mismatch'
  | 'bad-minisign'
  | 'bad-sums'
  | 'summary-differs'
  | 'claims-other-signer'
  | 'old-version'
  | 'schema';

export interface BundleProblem {
  code: BundleProblemCode;
  file?: string;
  message: string;
}

type Check = 'ok' | 'failed' | 'skipped';

export interface BundleSummary {
  site: string;
  tenantId: string;
  tenantDomain?: string;
  createdAt: string;
  createdBy: string;
  toolVersion: string;
  run: { kind: string; at: string; by: string };
  values: Record<IceValueKey, string>;
  steps: Array<StepResult & Partial<Pick<EvidenceStep, 'at' | 'kind'>>>;
}

/**
 * VALID: intact and signed by a key the verifier trusts (--public-key, --fingerprint, or the trusted-keys store).
 * UNTRUSTED: intact and self-consistent, but nobody vouched for the signer: compare its fingerprint with the engineer.
 * INVALID: damaged, changed after signing, inconsistent, or signed by another key than the one pinned.
 */
export type Verdict = 'VALID' | 'UNTRUSTED' | 'INVALID';

/** How the signer came to be trusted. */
export type TrustSource = { by: 'public-key' } | { by: 'fingerprint' } | { by: 'trusted-keys'; name?: string; addedAt: string };

export interface VerifyReport {
  verdict: Verdict;
  /** verdict === 'VALID' (kept for scripts that read it). */
  valid: boolean;
  file: string;
  /**
   * Who signed: the key in the JWS header (fingerprint, minisign key id as minisign prints it).
   * selfSigned = no expected key was given (kept for scripts; see verdict and trust).
   */
  signer?: { fingerprint: string; keyId: string; selfSigned: boolean; expectedFingerprint?: string };
  /** Present when the signer is trusted, and why. */
  trust?: TrustSource;
  /** false when a step failed when the bundle was made (it says INCOMPLETE); absent when the checklist could not be read. */
  complete?: boolean;
  /** The step ids that failed (INCOMPLETE), when complete is false. */
  failing?: string[];
  checks: { archive: Check; signature: Check; minisign: Check; hashes: Check; schemas: Check; summary: Check };
  problems: BundleProblem[];
  /** Things the admin must know that are not damage: a signer claiming to be another key. */
  warnings: string[];
  files: Array<{ name: string; size: number }>;
  /** Present when the content files could be read (even if invalid: show what is there). */
  summary?: BundleSummary;
}

const b64urlCanonical = (s: string): boolean => /^[A-Za-z0-9_-]*$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s;

interface ParsedJws {
  raw: Buffer;
  header: Record<string, unknown>;
}

function parseJwsHeader(text: string): ParsedJws | string {
  if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) return 'manifest.jws must be one line (a compact JWS)';
  const parts = text.slice(0, -1).split('.');
  if (parts.length !== 3) return `manifest.jws is not a compact JWS (${parts.length} parts instead of 3)`;
  if (!parts.every(b64urlCanonical)) return 'manifest.jws has characters outside base64url';
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch {
    return 'the JWS header is not JSON';
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return 'the JWS header is not a JSON object';
  const h = header as Record<string, unknown>;
  const keys = Object.keys(h).sort().join(',');
  if (keys !== 'alg,jwk,kid,typ') return `the JWS header has unexpected members (${keys}); expected alg, typ, kid, jwk`;
  if (h.alg !== 'EdDSA') return `the JWS header names algorithm ${JSON.stringify(h.alg)}; only EdDSA (Ed25519) is accepted`;
  if (h.typ !== JWS_TYP) return `the JWS header has type ${JSON.stringify(h.typ)}, expected ${JWS_TYP}`;
  const jwk = h.jwk as Record<string, unknown> | null;
  if (!jwk || typeof jwk !== 'object' || Object.keys(jwk).sort().join(',') !== 'crv,kty,x' || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || !b64urlCanonical(jwk.x)) {
    return 'the JWS header key (jwk) is not an Ed25519 public key';
  }
  const raw = Buffer.from(jwk.x, 'base64url');
  if (raw.length !== 32) return 'the JWS header key (jwk) is not 32 bytes';
  if (h.kid !== fingerprintOf(raw)) return `the JWS header kid ${JSON.stringify(h.kid)} does not match its key (fingerprint ${fingerprintOf(raw)})`;
  return { raw, header: h };
}

export interface VerifyOptions {
  /** The expected signer's key: any other signer is INVALID. */
  publicKey?: KeyObject;
  /** The expected signer's fingerprint (as read out by the engineer): any other signer is INVALID. */
  fingerprint?: string;
  /** Keys the verifier trusts (the trusted-keys store): a signer among them is VALID, any other UNTRUSTED. */
  trusted?: readonly TrustedKey[];
}

export async function verifyBundle(bytes: Buffer, file: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = {
    verdict: 'INVALID',
    valid: false,
    file,
    checks: { archive: 'skipped', signature: 'skipped', minisign: 'skipped', hashes: 'skipped', schemas: 'skipped', summary: 'skipped' },
    problems: [],
    warnings: [],
    files: [],
  };
  let pinnedFp: string | undefined;
  if (opts.fingerprint !== undefined) {
    const p = parseFingerprint(opts.fingerprint);
    if ('error' in p) throw new TypeError(p.error);
    pinnedFp = p.fingerprint;
  }
  const problem = (code: BundleProblemCode, message: string, f?: string): void => {
    report.problems.push(f ? { code, file: f, message } : { code, message });
  };

  // 1. The archive.
  let entries: ZipEntry[];
  try {
    entries = readZip(bytes);
    report.checks.archive = 'ok';
  } catch (e) {
    report.checks.archive = 'failed';
    if (e instanceof ZipError) problem(e.problem === 'bad-header' ? 'bad-archive' : e.problem, e.message, e.entry);
    else problem('bad-archive', `bad archive: ${String(e)}`);
    return report;
  }
  report.files = entries.map((x) => ({ name: x.name, size: x.data.length }));
  const byName = new Map(entries.map((x) => [x.name, x]));
  const text = (name: string): string | undefined => byName.get(name)?.data.toString('utf8');
  for (const x of entries) {
    if (!x.crcOk) problem('changed-file', `${x.name}: damaged (its bytes do not match the archive's CRC-32)`, x.name);
  }

  // 2. The signature over manifest.json.
  const expectedRaw = opts.publicKey ? rawPublicKey(opts.publicKey) : undefined;
  const expectedFp = expectedRaw ? fingerprintOf(expectedRaw) : pinnedFp;
  const manifestEntry = byName.get('manifest.json');
  const jwsText = text('manifest.jws');
  let signerRaw: Buffer | undefined;
  let signatureOk = false;
  let minisignTrusted: string | undefined;
  if (!manifestEntry) problem('missing-file', 'missing file manifest.json (the signed list of files)', 'manifest.json');
  if (jwsText === undefined) problem('missing-file', 'missing file manifest.jws (the signature)', 'manifest.jws');
  if (jwsText !== undefined) {
    const parsed = parseJwsHeader(jwsText);
    if (typeof parsed === 'string') {
      problem('bad-header', `bad header: ${parsed}`, 'manifest.jws');
    } else {
      signerRaw = parsed.raw;
      const found = fingerprintOf(parsed.raw);
      report.signer = { fingerprint: found, keyId: minisignKeyIdText(parsed.raw), selfSigned: !expectedFp };
      if (expectedFp) report.signer.expectedFingerprint = expectedFp;
      if (expectedFp && expectedFp !== found) {
        problem('wrong-key', `wrong key: expected fingerprint ${expectedFp}, the bundle is signed by ${keyLabel(parsed.raw)}`, 'manifest.jws');
      }
      try {
        const { payload } = await compactVerify(jwsText.trimEnd(), publicKeyFromRaw(parsed.raw), { algorithms: ['EdDSA'] });
        if (!manifestEntry || !Buffer.from(payload).equals(manifestEntry.data)) {
          if (manifestEntry) problem('manifest-mismatch', 'manifest.json was changed after signing (it differs from the signed copy)', 'manifest.json');
        } else if (!expectedFp || expectedFp === found) signatureOk = true;
      } catch (e) {
        const why = e instanceof joseErrors.JWSSignatureVerificationFailed ? 'the signature does not match (manifest.jws was changed or signed by another key)' : `the signature cannot be checked: ${(e as Error).message}`;
        problem('bad-signature', why, 'manifest.jws');
      }
    }
  }
  report.checks.signature = signatureOk ? 'ok' : 'failed';

  // 2b. SHA256SUMS and its minisign signature (same key): what the admin checks with stock tools.
  const minisig = text('SHA256SUMS.minisig');
  const sums = byName.get('SHA256SUMS');
  if (sums === undefined) problem('missing-file', 'missing file SHA256SUMS (the checksums minisign signs)', 'SHA256SUMS');
  if (minisig === undefined) problem('missing-file', 'missing file SHA256SUMS.minisig (the minisign signature)', 'SHA256SUMS.minisig');
  else if (signerRaw && sums) {
    const commentOk = minisig.split('\n')[0] === `untrusted comment: ${MINISIGN_UNTRUSTED_COMMENT}`;
    const res = minisignVerify(sums.data, minisig, signerRaw);
    if (!commentOk) problem('bad-minisign', 'SHA256SUMS.minisig: the comment line was changed', 'SHA256SUMS.minisig');
    if (!res.ok) problem('bad-minisign', `SHA256SUMS.minisig: ${res.problem}`, 'SHA256SUMS.minisig');
    report.checks.minisign = res.ok && commentOk ? 'ok' : 'failed';
    if (res.ok) minisignTrusted = res.trustedComment;
  }

  // 3. Every hash.
  let manifest: Manifest | undefined;
  if (manifestEntry) {
    try {
      const raw = parseJsonWithinLimits(manifestEntry.data.toString('utf8'), 'manifest.json') as { bundleVersion?: unknown };
      const m = manifestSchema.safeParse(raw);
      if (m.success) manifest = m.data;
      else if (typeof raw?.bundleVersion === 'number' && raw.bundleVersion !== BUNDLE_VERSION) {
        problem('old-version', `manifest.json: bundle version ${raw.bundleVersion}; this tool reads version ${BUNDLE_VERSION} (${raw.bundleVersion < BUNDLE_VERSION ? 'ask the engineer to export it again with the current ICE SSO Assistant' : 'update ICE SSO Assistant'})`, 'manifest.json');
      }
      else problem('schema', `manifest.json: ${formatZodIssues(m.error)}`, 'manifest.json');
    } catch {
      problem('schema', 'manifest.json: not JSON', 'manifest.json');
    }
  }
  if (manifest) {
    let hashesOk = true;
    const listed = new Set(manifest.files.map((f) => f.name));
    for (const f of manifest.files) {
      const x = byName.get(f.name);
      if (!x) {
        hashesOk = false;
        problem('missing-file', `missing file ${f.name} (listed in the signed manifest)`, f.name);
        continue;
      }
      const got = sha256Hex(x.data);
      if (x.data.length !== f.size || got !== f.sha256) {
        hashesOk = false;
        // A CRC mismatch already reported this file: add the hashes to that problem instead of a second one.
        const crcProblem = report.problems.find((p) => p.code === 'changed-file' && p.file === f.name);
        if (crcProblem) crcProblem.message += `; SHA-256 expected ${f.sha256.slice(0, 16)}…, found ${got.slice(0, 16)}…`;
        else problem('changed-file', `${f.name}: changed after signing (SHA-256 expected ${f.sha256.slice(0, 16)}…, found ${got.slice(0, 16)}…; size ${f.size} → ${x.data.length})`, f.name);
      }
    }
    for (const name of CONTENT_FILES) {
      if (!listed.has(name)) {
        hashesOk = false;
        problem('missing-file', `missing file ${name} (the signed manifest does not list it)`, name);
      }
    }
    for (const x of entries) {
      if (!listed.has(x.name) && !(SIGNATURE_FILES as readonly string[]).includes(x.name)) {
        hashesOk = false;
        problem('extra-file', `extra file ${x.name} (not in the signed manifest)`, x.name);
      }
    }
    // SHA256SUMS must be exactly the manifest's hashes (plus manifest.json's own) in sha256sum's format.
    if (sums && manifestEntry) {
      const want = sha256SumsText([...manifest.files, { name: 'manifest.json', sha256: sha256Hex(manifestEntry.data) }]);
      if (!sums.data.equals(Buffer.from(want, 'utf8'))) {
        hashesOk = false;
        problem('bad-sums', 'SHA256SUMS differs from the signed manifest (changed or repacked)', 'SHA256SUMS');
      }
    }
    report.checks.hashes = hashesOk ? 'ok' : 'failed';
  }
  const order = new Map<string, number>(ALL_FILES.map((n, i) => [n, i]));
  const names = entries.map((x) => x.name);
  if (names.every((n) => order.has(n)) && names.some((n, i) => i > 0 && order.get(n)! < order.get(names[i - 1]!)!)) {
    problem('bad-archive', 'bad archive: the files are not in the order the tool writes them (it was repacked)');
  }

  // 4. Schemas and consistency.
  let schemasOk = true;
  const docs: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(FILE_SCHEMAS)) {
    const t = text(name);
    if (t === undefined) {
      schemasOk = false;
      if (!report.problems.some((p) => p.file === name)) problem('missing-file', `missing file ${name}`, name);
      continue;
    }
    let v: unknown;
    try {
      v = parseJsonWithinLimits(t, name);
    } catch (e) {
      schemasOk = false;
      problem('schema', e instanceof SyntaxError ? `${name}: not JSON` : (e as Error).message, name);
      continue;
    }
    const r = schema!.safeParse(v);
    if (!r.success) {
      schemasOk = false;
      problem('schema', `${name}: ${formatZodIssues(r.error)}`, name);
      continue;
    }
    docs[name] = r.data;
  }
  const html = byName.get('summary.html');
  if (html === undefined) {
    schemasOk = false;
    if (!report.problems.some((p) => p.file === 'summary.html')) problem('missing-file', 'missing file summary.html', 'summary.html');
  }
  const values = (docs['values.json'] as { values: Record<IceValueKey, string> } | undefined)?.values;
  const meta = docs['sso-meta.json'] as Record<string, string> | undefined;
  const about = docs['about.json'] as (SummaryAbout & { bundleVersion: number; summary: { template: number } }) | undefined;
  if (values && meta) {
    const diff = ICE_VALUE_KEYS.filter((k) => meta[k] !== values[k]);
    if (diff.length) {
      schemasOk = false;
      problem('schema', `sso-meta.json and values.json disagree on ${diff.join(', ')}`, 'sso-meta.json');
    }
  }
  if (about && values) {
    if (about.tenant.id !== values.tenantId || about.app.appId !== values.clientId) {
      schemasOk = false;
      problem('schema', 'about.json names another tenant or app than values.json', 'about.json');
    }
    if (about.signer.keyId !== about.signer.fingerprint.replace(/ /g, '').slice(0, 16).replace(/^0+(?=.)/, '')) {
      schemasOk = false;
      problem('schema', 'about.json: the minisign key id does not belong to the fingerprint', 'about.json');
    }
  }
  report.checks.schemas = schemasOk ? 'ok' : 'failed';
  const checklist = docs['checklist.json'] as { steps: EvidenceStep[] } | undefined;
  if (checklist) {
    const failing = failingSteps(checklist.steps);
    report.complete = failing.length === 0;
    if (failing.length) report.failing = failing;
  }

  // 5. summary.html and the minisign trusted comment: rendered again from the signed documents, compared byte for byte.
  if (about && values && checklist && html) {
    if (about.summary.template !== SUMMARY_TEMPLATE) {
      problem('old-version', `summary.html was made with template ${about.summary.template}; this tool renders template ${SUMMARY_TEMPLATE}: verify it with the ICE SSO Assistant version that made it (${about.tool.version}) or ask for a new export`, 'summary.html');
      report.checks.summary = 'failed';
    } else {
      const want = Buffer.from(renderSummaryHtml({ about, values, steps: checklist.steps }), 'utf8');
      if (html.data.equals(want)) report.checks.summary = 'ok';
      else {
        report.checks.summary = 'failed';
        problem('summary-differs', `summary.html differs from the page the signed values, checklist and about.json give (first difference at byte ${firstDifference(html.data, want)}): it was changed or forged; do not open it`, 'summary.html');
      }
    }
    if (minisignTrusted !== undefined && minisignTrusted !== trustedCommentFor(about)) {
      problem('bad-minisign', 'SHA256SUMS.minisig: the trusted comment is not the one the signed about.json gives', 'SHA256SUMS.minisig');
      report.checks.minisign = 'failed';
    }
  }
  if (about && values && checklist) {
    report.summary = {
      site: about.site.name,
      tenantId: about.tenant.id,
      ...(about.tenant.domain ? { tenantDomain: about.tenant.domain } : {}),
      createdAt: about.createdAt,
      createdBy: about.createdBy,
      toolVersion: about.tool.version,
      run: about.run,
      values,
      steps: checklist.steps,
    };
  }

  // 6. Trust: who vouches for the signer.
  const signer = report.signer;
  if (signer && report.checks.signature === 'ok') {
    if (expectedRaw) report.trust = { by: 'public-key' };
    else if (pinnedFp) report.trust = { by: 'fingerprint' };
    else {
      const t = opts.trusted?.find((k) => k.fingerprint === signer.fingerprint);
      if (t) report.trust = { by: 'trusted-keys', ...(t.name ? { name: t.name } : {}), addedAt: t.addedAt };
    }
  }
  // A signer claiming to be another key: a lie when the signer is trusted (INVALID); otherwise the bundle is
  // only that unknown signer's word, which is what UNTRUSTED says (with this warning).
  if (signer && about && about.signer.fingerprint !== signer.fingerprint) {
    const msg = `the bundle claims to be signed by ${about.signer.fingerprint} (in about.json, summary.html and the minisign comment), but it is signed by ${keyLabel(signerRaw!)}: treat it as forged`;
    if (report.trust || expectedFp) problem('claims-other-signer', msg, 'about.json');
    else report.warnings.push(msg);
  }
  const intact =
    report.problems.length === 0 &&
    report.checks.signature === 'ok' &&
    report.checks.minisign === 'ok' &&
    report.checks.hashes === 'ok' &&
    report.checks.schemas === 'ok' &&
    report.checks.summary === 'ok';
  report.verdict = !intact ? 'INVALID' : report.trust ? 'VALID' : 'UNTRUSTED';
  report.valid = report.verdict === 'VALID';
  return report;
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}
