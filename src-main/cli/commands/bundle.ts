// `bundle export|verify|show` and `keys show|export|import`: the signed handoff bundle (<site>.icesso).
import * as fsp from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { ICE_DESKTOP_FIELDS } from '../../core/types';
import {
  defaultConfigDir,
  envOrTtyPassphrase,
  FileKeyStore,
  fingerprintOf,
  getOrCreateSigningKey,
  importSigningKey,
  parsePublicKeyText,
  publicKeyPem,
  rawPublicKey,
} from '../../bundle/keys';
import { minisignPublicKeyFile } from '../../bundle/minisign';
import { verifyBundle, type VerifyReport } from '../../bundle/verify';
import { readFailureReason, writeFileAtomic } from '../../lib/atomic-file';
import { isInputLimitError, readFileWithinLimit } from '../../lib/input-limits';
import { exportSiteBundle } from '../../ops/export';
import { openSite } from '../../ops/site';
import { flag, parseArgs, str, type OptionDef } from '../args';
import { AppError } from '../../lib/errors';
import { UsageError } from '../errors';
import { resolvePath as abs, type CliIO } from '../io';
import type { CliCommand } from './types';
import { cliCommand } from '../invocation';

function keyStore(io: CliIO): FileKeyStore {
  return new FileKeyStore(defaultConfigDir(io.env), envOrTtyPassphrase(io.env));
}

async function readPublicKey(io: CliIO, file: string): Promise<KeyObject> {
  let text: string;
  try {
    text = await fsp.readFile(abs(io, file), 'utf8');
  } catch (e) {
    throw new UsageError(`--public-key ${file}: cannot read the file (${readFailureReason(e)}).`);
  }
  try {
    return parsePublicKeyText(text, file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function readBundleFile(io: CliIO, file: string): Promise<Buffer> {
  try {
    return await readFileWithinLimit(abs(io, file), file);
  } catch (e) {
    if (isInputLimitError(e)) throw new AppError(e.code, `${e.message}.`);
    throw new UsageError(`${file}: cannot read the bundle (${readFailureReason(e, 'it is a folder; give the .icesso file')}).`);
  }
}

function signerLine(r: VerifyReport): string {
  if (!r.signer) return 'signer: unknown (the signature could not be read)';
  if (r.signer.selfSigned) return `self-signed, fingerprint ${r.signer.fingerprint} (compare it with the fingerprint the field engineer gave you, or pass --public-key)`;
  return r.signer.expectedFingerprint === r.signer.fingerprint ? `signed by the expected key, fingerprint ${r.signer.fingerprint}` : `signed by fingerprint ${r.signer.fingerprint}, expected ${r.signer.expectedFingerprint}`;
}

function renderReport(r: VerifyReport, withValues: boolean): string {
  const out: string[] = [];
  out.push(r.valid ? `VALID: ${r.file}` : `INVALID: ${r.file}`);
  out.push(`  ${signerLine(r)}`);
  const c = r.checks;
  out.push(`  archive ${c.archive} · signature ${c.signature} · minisign ${c.minisign} · hashes ${c.hashes} · schemas ${c.schemas}`);
  for (const p of r.problems) out.push(`  - ${p.message}`);
  if (withValues && r.summary) {
    const s = r.summary;
    out.push('', `Site "${s.site}" · tenant ${s.tenantDomain ? `${s.tenantDomain} (${s.tenantId})` : s.tenantId}`);
    out.push(`Checked by ${s.run.kind} on ${s.run.at} by ${s.run.by}; bundle made ${s.createdAt} by ${s.createdBy} with ICE SSO Assistant ${s.toolVersion}`);
    out.push('', 'ICE Desktop > Settings > Organization > Authentication > Azure Entra ID SSO:');
    for (const f of ICE_DESKTOP_FIELDS) out.push(`  ${f.label.padEnd(18)} ${s.values[f.key]}`);
    out.push('', 'Checklist:');
    for (const st of s.steps) out.push(`  ${st.status.toUpperCase().padEnd(8)} ${st.id.padEnd(30)} ${st.title}`);
    if (!r.valid) out.push('', 'WARNING: this bundle did not verify; do not type these values in before you know why.');
  }
  return out.join('\n') + '\n';
}

const BUNDLE_OPTIONS: OptionDef[] = [
  { name: 'site', kind: 'string', valueName: 'FILE', description: 'export: the saved site to bundle' },
  { name: 'out', kind: 'string', valueName: 'PATH', description: 'export: the bundle file, or a folder (then <site>.icesso inside it)' },
  { name: 'force', kind: 'flag', description: 'export: replace an existing bundle of the same name' },
  { name: 'public-key', kind: 'string', valueName: 'FILE', description: 'verify/show: the expected signer (PEM, JWK or minisign.pub); without it the embedded key is used' },
  { name: 'json', kind: 'flag', description: 'verify/show: print the report as JSON' },
];

export const command: CliCommand = {
  name: 'bundle',
  usage: 'bundle export --site FILE --out PATH [--force]\n      bundle verify PATH [--public-key FILE] [--json]\n      bundle show PATH [--public-key FILE] [--json]',
  options: BUNDLE_OPTIONS,
  details:
    'The bundle is a ZIP (stored entries) any OS opens: summary.html (one printable page), values.json, sso-meta.json,\n' +
    'checklist.json, settings.json, about.json, minisign.pub, manifest.json (SHA-256 of each file), manifest.jws (Ed25519 JWS)\n' +
    'and manifest.json.minisig (check with: minisign -Vm manifest.json -p minisign.pub). The signing key is made on first use\n' +
    'in the config folder (ICE_SSO_CONFIG_DIR overrides), protected by a passphrase (ICE_SSO_KEY_PASSPHRASE or a prompt).\n' +
    'Exit codes: export 0 written and verified, 1 refused (no verified values) or the drive failed, 2 bad input;\n' +
    'verify/show 0 valid, 1 invalid, 2 unusable input (unreadable, not a bundle at all, bad --public-key).',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'export' && sub !== 'verify' && sub !== 'show') {
      throw new UsageError(`bundle needs a subcommand: export, verify or show${sub ? ` (got "${sub}")` : ''}. Run \`${cliCommand()} help bundle\`.`);
    }
    const p = parseArgs(rest, BUNDLE_OPTIONS, `bundle ${sub}`);
    {
      if (sub === 'export') {
        if (p.positionals.length) throw new UsageError(`bundle export takes --site FILE --out PATH (got ${JSON.stringify(p.positionals[0])}).`);
        const site = str(p, 'site');
        const out = str(p, 'out');
        if (!site || !out) throw new UsageError('bundle export needs --site FILE (the saved site) and --out PATH (a file or folder, e.g. the USB drive).');
        // Refused (saying why) before a key is made or a passphrase asked for.
        const store = keyStore(io);
        const r = await exportSiteBundle(await openSite(abs(io, site)), abs(io, out), {
          force: flag(p, 'force'),
          key: async () => {
            const k = await getOrCreateSigningKey(store);
            if (k.created) io.stderr.write(`Created a bundle signing key (fingerprint ${k.fingerprint}) in ${store.describe()}.\n`);
            return k;
          },
        });
        const key = r.key;
        io.stdout.write(`Wrote ${r.file} (${r.bundle.bytes.length} bytes); read back and verified.\nSigned with key fingerprint ${key.fingerprint}: give this fingerprint to the ICE Server admin by another channel.\n`);
        return 0;
      }
      if (p.positionals.length !== 1) throw new UsageError(`bundle ${sub} needs exactly one bundle file (got ${p.positionals.length}).`);
      const file = p.positionals[0]!;
      const pk = str(p, 'public-key');
      const publicKey = pk ? await readPublicKey(io, pk) : undefined;
      const bytes = await readBundleFile(io, file);
      const report = await verifyBundle(bytes, file, publicKey ? { publicKey } : {});
      if (flag(p, 'json')) io.stdout.write(JSON.stringify(sub === 'verify' ? { ...report, summary: undefined } : report, null, 2) + '\n');
      else io.stdout.write(renderReport(report, sub === 'show'));
      // A file that is not a ZIP at all is unusable input (the wrong file was given), not a damaged bundle.
      if (report.problems.length === 1 && report.problems[0]!.code === 'not-zip') return 2;
      return report.valid ? 0 : 1;
    }
  },
};

const KEY_OPTIONS: OptionDef[] = [
  { name: 'out', kind: 'string', valueName: 'FILE', description: 'export: where to write the public key' },
  { name: 'format', kind: 'string', valueName: 'pem|minisign|jwk', description: 'export: key format (default pem)' },
  { name: 'file', kind: 'string', valueName: 'FILE', description: 'import: the organisation\'s Ed25519 private key (PKCS#8 PEM)' },
  { name: 'force', kind: 'flag', description: 'import: replace the existing key (the old one is kept as .bak)' },
];

export const keysCommand: CliCommand = {
  name: 'keys',
  usage: 'keys show | keys export --out FILE [--format pem|minisign|jwk] | keys import --file KEY.pem [--force]',
  options: KEY_OPTIONS,
  details:
    'An encrypted organisation key is read with the passphrase in ICE_SSO_IMPORT_KEY_PASSPHRASE; it is stored under\n' +
    'ICE_SSO_KEY_PASSPHRASE (or the prompt) like a generated key.',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'show' && sub !== 'export' && sub !== 'import') throw new UsageError(`keys needs a subcommand: show, export or import${sub ? ` (got "${sub}")` : ''}.`);
    const p = parseArgs(rest, KEY_OPTIONS, `keys ${sub}`);
    const store = keyStore(io);
    {
      if (sub === 'import') {
        const file = str(p, 'file');
        if (!file) throw new UsageError('keys import needs --file KEY.pem (an Ed25519 private key, PKCS#8 PEM).');
        if (!flag(p, 'force') && (await store.loadPublic())) {
          throw new UsageError(`a signing key already exists (${store.describe()}); add --force to replace it (the old one is kept as .bak).`);
        }
        let pem: string;
        try {
          pem = await fsp.readFile(abs(io, file), 'utf8');
        } catch (e) {
          throw new UsageError(`--file ${file}: cannot read the key (${readFailureReason(e)}).`);
        }
        const k = await importSigningKey(store, pem, file, io.env.ICE_SSO_IMPORT_KEY_PASSPHRASE || undefined);
        io.stdout.write(`Imported the organisation key: fingerprint ${k.fingerprint} (${store.describe()}).\n`);
        return 0;
      }
      const pub = (await store.loadPublic()) ?? (await store.load());
      if (!pub) {
        io.stderr.write(`No signing key yet (${store.describe()}): one is made by the first \`bundle export\`, or import one with \`keys import\`.\n`);
        return 1;
      }
      const raw = rawPublicKey(pub);
      if (sub === 'show') {
        io.stdout.write(`Fingerprint: ${fingerprintOf(raw)}\nStored in:   ${store.describe()}\n\n${publicKeyPem(pub)}\n${minisignPublicKeyFile(raw)}`);
        return 0;
      }
      const out = str(p, 'out');
      if (!out) throw new UsageError('keys export needs --out FILE.');
      const format = str(p, 'format') ?? 'pem';
      const text =
        format === 'pem' ? publicKeyPem(pub) : format === 'minisign' ? minisignPublicKeyFile(raw) : format === 'jwk' ? JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }) + '\n' : undefined;
      if (text === undefined) throw new UsageError(`--format ${format}: use pem, minisign or jwk.`);
      await writeFileAtomic(abs(io, out), text, { exclusive: true });
      io.stdout.write(`Wrote the public key (${format}, fingerprint ${fingerprintOf(raw)}) to ${abs(io, out)}.\n`);
      return 0;
    }
  },
};
