// Verify a bundle: archive structure, then the signature (EdDSA only), then every hash, then the schemas.
// Each problem is reported as exactly what it is (which file, which key, what changed).
import { compactVerify, errors as joseErrors } from 'jose';
import type { KeyObject } from 'node:crypto';
import { ICE_VALUE_KEYS, type IceValueKey, type StepResult } from '../core/types';
import { formatZodIssues } from '../lib/zod-issues';
import { parseJsonWithinLimits } from '../lib/input-limits';
import { JWS_TYP, MINISIGN_UNTRUSTED_COMMENT, sha256Hex } from './build';
import { fingerprintOf, publicKeyFromRaw, rawPublicKey } from './keys';
import { minisignVerify, parseMinisignPublicKey } from './minisign';
import { ALL_FILES, CONTENT_FILES, FILE_SCHEMAS, SIGNATURE_FILES, manifestSchema, type Manifest } from './schemas';
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
  steps: StepResult[];
}

export interface VerifyReport {
  valid: boolean;
  file: string;
  /** Who signed: the key in the JWS header. selfSigned = no expected key was given. */
  signer?: { fingerprint: string; selfSigned: boolean; expectedFingerprint?: string };
  checks: { archive: Check; signature: Check; minisign: Check; hashes: Check; schemas: Check };
  problems: BundleProblem[];
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
  /** The expected signer. Without it, the embedded key is used and the result is "self-signed". */
  publicKey?: KeyObject;
}

export async function verifyBundle(bytes: Buffer, file: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = {
    valid: false,
    file,
    checks: { archive: 'skipped', signature: 'skipped', minisign: 'skipped', hashes: 'skipped', schemas: 'skipped' },
    problems: [],
    files: [],
  };
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
  const manifestEntry = byName.get('manifest.json');
  const jwsText = text('manifest.jws');
  let signerRaw: Buffer | undefined;
  let signatureOk = false;
  if (!manifestEntry) problem('missing-file', 'missing file manifest.json (the signed list of files)', 'manifest.json');
  if (jwsText === undefined) problem('missing-file', 'missing file manifest.jws (the signature)', 'manifest.jws');
  if (jwsText !== undefined) {
    const parsed = parseJwsHeader(jwsText);
    if (typeof parsed === 'string') {
      problem('bad-header', `bad header: ${parsed}`, 'manifest.jws');
    } else {
      signerRaw = parsed.raw;
      const found = fingerprintOf(parsed.raw);
      report.signer = { fingerprint: found, selfSigned: !expectedRaw };
      if (expectedRaw) report.signer.expectedFingerprint = fingerprintOf(expectedRaw);
      if (expectedRaw && !expectedRaw.equals(parsed.raw)) {
        problem('wrong-key', `wrong key: expected fingerprint ${fingerprintOf(expectedRaw)}, the bundle is signed by ${found}`, 'manifest.jws');
      }
      try {
        const { payload } = await compactVerify(jwsText.trimEnd(), publicKeyFromRaw(parsed.raw), { algorithms: ['EdDSA'] });
        if (!manifestEntry || !Buffer.from(payload).equals(manifestEntry.data)) {
          if (manifestEntry) problem('manifest-mismatch', 'manifest.json was changed after signing (it differs from the signed copy)', 'manifest.json');
        } else if (!expectedRaw || expectedRaw.equals(parsed.raw)) signatureOk = true;
      } catch (e) {
        const why = e instanceof joseErrors.JWSSignatureVerificationFailed ? 'the signature does not match (manifest.jws was changed or signed by another key)' : `the signature cannot be checked: ${(e as Error).message}`;
        problem('bad-signature', why, 'manifest.jws');
      }
    }
  }
  report.checks.signature = signatureOk ? 'ok' : 'failed';

  // 2b. The minisign signature (same key, same manifest).
  const minisig = text('manifest.json.minisig');
  const pubText = text('minisign.pub');
  if (minisig === undefined) problem('missing-file', 'missing file manifest.json.minisig (the minisign signature)', 'manifest.json.minisig');
  else if (signerRaw && manifestEntry) {
    const commentOk = minisig.split('\n')[0] === `untrusted comment: ${MINISIGN_UNTRUSTED_COMMENT}`;
    const res = minisignVerify(manifestEntry.data, minisig, signerRaw);
    if (!commentOk) problem('bad-minisign', 'manifest.json.minisig: the comment line was changed', 'manifest.json.minisig');
    if (!res.ok) problem('bad-minisign', `manifest.json.minisig: ${res.problem}`, 'manifest.json.minisig');
    report.checks.minisign = res.ok && commentOk ? 'ok' : 'failed';
  }
  if (pubText !== undefined && signerRaw) {
    const pub = parseMinisignPublicKey(pubText);
    if (!pub || !pub.raw.equals(signerRaw)) problem('wrong-key', 'minisign.pub is not the key that signed the bundle', 'minisign.pub');
  }

  // 3. Every hash.
  let manifest: Manifest | undefined;
  if (manifestEntry) {
    try {
      const m = manifestSchema.safeParse(parseJsonWithinLimits(manifestEntry.data.toString('utf8'), 'manifest.json'));
      if (m.success) manifest = m.data;
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
  const html = text('summary.html');
  if (html === undefined) {
    schemasOk = false;
    if (!report.problems.some((p) => p.file === 'summary.html')) problem('missing-file', 'missing file summary.html', 'summary.html');
  } else if (/<script|\bsrc\s*=\s*["']?(https?:)?\/\/|<link\b|@import/i.test(html)) {
    schemasOk = false;
    problem('schema', 'summary.html: contains a script or an external resource', 'summary.html');
  }
  const values = (docs['values.json'] as { values: Record<IceValueKey, string> } | undefined)?.values;
  const meta = docs['sso-meta.json'] as Record<string, string> | undefined;
  const about = docs['about.json'] as
    | { createdAt: string; createdBy: string; tool: { version: string }; site: { name: string }; tenant: { id: string; domain?: string }; app: { appId: string }; run: { kind: string; at: string; by: string }; signer: { fingerprint: string } }
    | undefined;
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
    const signer = report.signer?.fingerprint;
    if (signer && about.signer.fingerprint !== signer) {
      schemasOk = false;
      problem('schema', `about.json names signer ${about.signer.fingerprint}, but the bundle is signed by ${signer}`, 'about.json');
    }
  }
  report.checks.schemas = schemasOk ? 'ok' : 'failed';
  const checklist = docs['checklist.json'] as { steps: StepResult[] } | undefined;
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
  report.valid = report.problems.length === 0 && report.checks.signature === 'ok' && report.checks.minisign === 'ok' && report.checks.hashes === 'ok' && report.checks.schemas === 'ok';
  return report;
}
