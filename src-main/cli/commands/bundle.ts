// `bundle export|verify|show` and `keys show|export|import|trust|trusted|untrust`: the signed handoff bundle
// (<site>.icesso) and the keys that sign and the keys that are trusted. Thin: the flows live in src-main/bundle;
// failures go to main(), whose one table gives their exit code.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ICE_DESKTOP_FIELDS } from '../../core/types';
import { bundleFileName } from '../../bundle/build';
import { existingBundle, resolveOutPath } from '../../bundle/export';
import { checkBundle, incompleteLine, trustExplanation } from '../../bundle/flows';
import { TrustStore } from '../../bundle/trust';
import {
  defaultConfigDir,
  envOrTtyPassphrase,
  FileKeyStore,
  fingerprintOf,
  getOrCreateSigningKey,
  importSigningKey,
  keyLabel,
  minisignKeyIdText,
  parseFingerprint,
  parsePublicKeyText,
  publicKeyPem,
  rawPublicKey,
} from '../../bundle/keys';
import { minisignPublicKeyBase64, minisignPublicKeyFile } from '../../bundle/minisign';
import type { VerifyReport } from '../../bundle/verify';
import { readFailureReason, writeFileAtomic } from '../../lib/atomic-file';
import { isInputLimitError, readFileWithinLimit } from '../../lib/input-limits';
import { checkExportable, exportSiteBundle } from '../../ops/export';
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

function trustStore(io: CliIO): TrustStore {
  return TrustStore.inDir(defaultConfigDir(io.env));
}

/** A path as typed, resolved where the command was run, keeping a trailing separator ("folder, make it"). */
function absKeepSlash(io: CliIO, p: string): string {
  const r = abs(io, p);
  return /[\\/]$/.test(p) && !r.endsWith(path.sep) ? r + path.sep : r;
}

async function readPublicKey(io: CliIO, file: string, what = '--public-key'): Promise<KeyObject> {
  let text: string;
  try {
    text = await fsp.readFile(abs(io, file), 'utf8');
  } catch (e) {
    throw new UsageError(`${what} ${file}: cannot read the file (${readFailureReason(e)}).`);
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

const TRUST_COMMAND = '`keys trust --fingerprint "<fingerprint>" --name "<who>"`, or pass --fingerprint to this command';

function renderReport(r: VerifyReport, withValues: boolean): string {
  const out: string[] = [];
  out.push(`${r.verdict}: ${r.file}`);
  for (const line of trustExplanation(r, { trustCommand: TRUST_COMMAND })) out.push(`  ${line}`);
  const inc = incompleteLine(r);
  if (inc) out.push(`  ${inc}`);
  const c = r.checks;
  out.push(`  archive ${c.archive} · signature ${c.signature} · minisign ${c.minisign} · hashes ${c.hashes} · schemas ${c.schemas} · summary ${c.summary}`);
  for (const p of r.problems) out.push(`  - ${p.message}`);
  if (withValues && r.summary) {
    const s = r.summary;
    out.push('', `Site "${s.site}" · tenant ${s.tenantDomain ? `${s.tenantDomain} (${s.tenantId})` : s.tenantId}`);
    out.push(`Values from the ${s.run.kind} on ${s.run.at} by ${s.run.by}; bundle made ${s.createdAt} by ${s.createdBy} with ICE SSO Assistant ${s.toolVersion}`);
    out.push('', 'ICE Desktop > Settings > Organization > Authentication > Azure Entra ID SSO:');
    for (const f of ICE_DESKTOP_FIELDS) out.push(`  ${f.label.padEnd(18)} ${s.values[f.key]}`);
    out.push('', 'Checklist (latest result of each step, with the run that established it):');
    for (const st of s.steps) out.push(`  ${st.status.toUpperCase().padEnd(8)} ${st.id.padEnd(30)} ${st.title}${st.kind && st.at ? `  [${st.kind} ${st.at}]` : ''}`);
    if (r.verdict === 'INVALID') out.push('', 'WARNING: this bundle did not verify; do not type these values in before you know why.');
    else if (r.verdict === 'UNTRUSTED') out.push('', 'WARNING: nobody you trust vouches for this bundle yet; check the fingerprint with the engineer before you type these values in.');
  }
  return out.join('\n') + '\n';
}

const BUNDLE_OPTIONS: OptionDef[] = [
  { name: 'site', kind: 'string', valueName: 'FILE', description: 'export: the saved site to bundle' },
  { name: 'out', kind: 'string', valueName: 'PATH', description: 'export: the bundle file, or a folder (then <site>.icesso inside it)' },
  { name: 'force', kind: 'flag', description: 'export: replace an existing bundle of the same name' },
  { name: 'allow-incomplete', kind: 'flag', description: 'export: export although steps fail; the bundle then says INCOMPLETE' },
  { name: 'public-key', kind: 'string', valueName: 'FILE', description: "verify/show: the engineer's public key (PEM, JWK, minisign.pub); another signer is INVALID" },
  { name: 'fingerprint', kind: 'string', valueName: 'FP', description: 'verify/show: the fingerprint the engineer read out (32 hex digits); another signer is INVALID' },
  { name: 'json', kind: 'flag', description: 'verify/show: print the report as JSON ("verdict", "complete", "failing", ...)' },
];

export const command: CliCommand = {
  name: 'bundle',
  usage:
    'bundle export --site FILE --out PATH [--force] [--allow-incomplete]\n      bundle verify PATH [--public-key FILE | --fingerprint FP] [--json]\n      bundle show PATH [--public-key FILE | --fingerprint FP] [--json]',
  options: BUNDLE_OPTIONS,
  details:
    'The bundle is a ZIP (stored entries) any OS opens: summary.html (one printable page), values.json, sso-meta.json,\n' +
    'checklist.json (the latest result of each step, with its time), settings.json, about.json, manifest.json (SHA-256 of\n' +
    'each file), SHA256SUMS with its minisign signature SHA256SUMS.minisig, and manifest.jws (Ed25519 JWS). Without this\n' +
    "tool, in the unzipped folder: minisign -Vm SHA256SUMS -P <the engineer's public key> && sha256sum -c SHA256SUMS\n" +
    '(the key comes from the engineer, never from the bundle). The signing key is made on first use in the config folder\n' +
    '(ICE_SSO_CONFIG_DIR overrides), protected by a passphrase of 12+ characters (ICE_SSO_KEY_PASSPHRASE or a prompt).\n' +
    'Export refuses a site whose latest results have a failing step, unless --allow-incomplete (the bundle then says\n' +
    'INCOMPLETE). --out: an existing folder or one ending in "/" gets <site>.icesso inside it; a name ending in .icesso is\n' +
    'the file; an existing file needs --force.\n' +
    'Verdicts (the first word; "verdict" in --json): VALID signed by a key you trust (--public-key, --fingerprint or\n' +
    '`keys trust`); UNTRUSTED intact but signed by a key you have not trusted: check its fingerprint with the engineer;\n' +
    'INVALID damaged, changed, or signed by another key than the one given.\n' +
    'Exit codes: export 0 written and verified, 1 refused (no verified values, failing steps) or the drive failed,\n' +
    '2 bad input; verify/show 0 VALID, 4 UNTRUSTED, 1 INVALID, 2 unusable input (unreadable, not a bundle, bad key).',
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
        if (str(p, 'fingerprint') !== undefined || str(p, 'public-key') !== undefined) throw new UsageError('--public-key and --fingerprint are for bundle verify/show.');
        // Refuse (saying why) before a key is made or a passphrase asked for: the same operation as the app's.
        const loaded = await openSite(abs(io, site));
        const allowIncomplete = flag(p, 'allow-incomplete');
        checkExportable(loaded, allowIncomplete);
        const target = await resolveOutPath(absKeepSlash(io, out), bundleFileName(loaded.doc.name));
        if (!flag(p, 'force') && (await existingBundle(target))) {
          io.stderr.write(`error: ${target} already exists. Add --force to replace it.\n`);
          return 1;
        }
        const store = keyStore(io);
        const r = await exportSiteBundle(loaded, target, {
          force: flag(p, 'force'),
          allowIncomplete,
          key: async () => {
            const k = await getOrCreateSigningKey(store);
            if (k.created) io.stderr.write(`Created a bundle signing key (fingerprint ${k.fingerprint}) in ${store.describe()}.\n`);
            return k;
          },
        });
        const key = r.key;
        const incomplete = r.bundle.failing.length ? `\nINCOMPLETE: exported although ${r.bundle.failing.join(', ')} fail; the bundle says so to the admin.` : '';
        io.stdout.write(
          `Wrote ${r.file} (${r.bundle.bytes.length} bytes); read back and verified.${incomplete}\n` +
            `Signed with key ${keyLabel(key.raw)}: read this fingerprint to the ICE Server admin by another channel, or give them your public key (\`keys export\`).\n`,
        );
        return 0;
      }
      if (p.positionals.length !== 1) throw new UsageError(`bundle ${sub} needs exactly one bundle file (got ${p.positionals.length}).`);
      if (flag(p, 'allow-incomplete') || flag(p, 'force')) throw new UsageError('--allow-incomplete and --force are for bundle export.');
      const file = p.positionals[0]!;
      const pk = str(p, 'public-key');
      const fp = str(p, 'fingerprint');
      if (pk && fp !== undefined) throw new UsageError('give either --public-key or --fingerprint, not both.');
      if (fp !== undefined) {
        const parsed = parseFingerprint(fp);
        if ('error' in parsed) throw new UsageError(`--fingerprint: ${parsed.error}`);
      }
      const publicKey = pk ? await readPublicKey(io, pk) : undefined;
      const bytes = await readBundleFile(io, file);
      const report = await checkBundle(bytes, file, { ...(publicKey ? { publicKey } : {}), ...(fp !== undefined ? { fingerprint: fp } : {}), store: trustStore(io) });
      if (flag(p, 'json')) io.stdout.write(JSON.stringify(sub === 'verify' ? { ...report, summary: undefined } : report, null, 2) + '\n');
      else io.stdout.write(renderReport(report, sub === 'show'));
      // A file that is not a ZIP at all is unusable input (the wrong file was given), not a damaged bundle.
      if (report.problems.length === 1 && report.problems[0]!.code === 'not-zip') return 2;
      return report.verdict === 'VALID' ? 0 : report.verdict === 'UNTRUSTED' ? 4 : 1;
    }
  },
};

const KEY_OPTIONS: OptionDef[] = [
  { name: 'out', kind: 'string', valueName: 'FILE', description: 'export: where to write the public key' },
  { name: 'format', kind: 'string', valueName: 'pem|minisign|jwk', description: 'export: key format (default pem)' },
  { name: 'file', kind: 'string', valueName: 'FILE', description: 'import: the organisation\'s Ed25519 private key (PKCS#8 PEM)' },
  { name: 'force', kind: 'flag', description: 'import: replace the existing key (the old one is kept as .bak)' },
  { name: 'fingerprint', kind: 'string', valueName: 'FP', description: 'trust: the fingerprint the engineer read out (32 hex digits)' },
  { name: 'name', kind: 'string', valueName: 'NAME', description: 'trust: whose key it is ("Contoso field team")' },
  { name: 'json', kind: 'flag', description: 'trusted: print the list as JSON' },
];

export const keysCommand: CliCommand = {
  name: 'keys',
  usage:
    'keys show | keys export --out FILE [--format pem|minisign|jwk] | keys import --file KEY.pem [--force]\n' +
    '      keys trust FILE | --fingerprint FP [--name NAME]\n      keys trusted [--json]\n      keys untrust FP',
  options: KEY_OPTIONS,
  details:
    'An encrypted organisation key is read with the passphrase in ICE_SSO_IMPORT_KEY_PASSPHRASE; it is stored under\n' +
    'ICE_SSO_KEY_PASSPHRASE (or the prompt) like a generated key.\n' +
    'Trusted keys (the ICE Server admin\'s side) live in trusted-keys.json in the config folder: a bundle signed by one of\n' +
    'them verifies as VALID. Trust an organisation key once for all its engineers. A fingerprint is 32 hex digits\n' +
    '(spaces optional), as `keys show` and the app print it.',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const subs = ['show', 'export', 'import', 'trust', 'trusted', 'untrust'];
    if (!sub || !subs.includes(sub)) throw new UsageError(`keys needs a subcommand: ${subs.join(', ')}${sub ? ` (got "${sub}")` : ''}.`);
    const p = parseArgs(rest, KEY_OPTIONS, `keys ${sub}`);
    const store = keyStore(io);
    {
      if (sub === 'trust') {
        const fp = str(p, 'fingerprint');
        if (p.positionals.length > 1 || (fp !== undefined && p.positionals.length) || (fp === undefined && !p.positionals.length)) {
          throw new UsageError('keys trust needs the engineer\'s public key FILE (PEM, JWK or minisign.pub) or --fingerprint FP, not both.');
        }
        const name = str(p, 'name');
        const what = fp !== undefined ? { fingerprint: fp } : { key: await readPublicKey(io, p.positionals[0]!, 'keys trust') };
        const { entry, replaced } = await trustStore(io).add(what, name !== undefined ? { name } : {});
        io.stdout.write(
          `${replaced ? 'Updated' : 'Trusted'} key ${entry.fingerprint} (minisign key id ${entry.keyId})${entry.name ? ` "${entry.name}"` : ''}: bundles it signs now verify as VALID.\n`,
        );
        return 0;
      }
      if (sub === 'trusted') {
        const keys = await trustStore(io).list();
        if (flag(p, 'json')) io.stdout.write(JSON.stringify(keys, null, 2) + '\n');
        else if (!keys.length) io.stdout.write(`No trusted keys yet (${trustStore(io).file}). Add one with \`keys trust FILE\` or \`keys trust --fingerprint FP\`.\n`);
        else for (const k of keys) io.stdout.write(`${k.fingerprint}  (minisign key id ${k.keyId})  ${k.name ?? '(no name)'}  trusted ${k.addedAt} from ${k.source === 'file' ? 'a key file' : 'a fingerprint'}\n`);
        return 0;
      }
      if (sub === 'untrust') {
        const fp = p.positionals.join(' ') || str(p, 'fingerprint');
        if (!fp) throw new UsageError('keys untrust needs the fingerprint of the key to stop trusting (see `keys trusted`).');
        const gone = await trustStore(io).remove(fp);
        if (!gone) {
          io.stderr.write(`error: ${fp} is not among your trusted keys (see \`keys trusted\`).\n`);
          return 1;
        }
        io.stdout.write(`No longer trusted: ${gone.fingerprint}${gone.name ? ` "${gone.name}"` : ''}.\n`);
        return 0;
      }
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
        io.stdout.write(
          `Fingerprint:      ${fingerprintOf(raw)}\nminisign key id:  ${minisignKeyIdText(raw)}\nStored in:        ${store.describe()}\n\n` +
            `For the ICE Server admin: read out the fingerprint, or give them the public key:\n  minisign -P ${minisignPublicKeyBase64(raw)}\n\n${publicKeyPem(pub)}\n${minisignPublicKeyFile(raw)}`,
        );
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
