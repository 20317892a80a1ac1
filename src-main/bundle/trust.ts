// The ICE Server admin's trusted keys: signers whose bundles verify as VALID without --public-key.
// A JSON file in the config folder (CLI) or the app's data folder. Not a secret (public keys and
// fingerprints), but a changed file changes what is trusted: it is written atomically, 0o600, and a
// damaged file is an error, never silently "no trusted keys".
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../lib/atomic-file';
import { fingerprintOf, KeyError, minisignKeyIdText, parseFingerprint, rawPublicKey } from './keys';
import { minisignPublicKeyBase64 } from './minisign';
import type { KeyObject } from 'node:crypto';

export const TRUST_FILE_NAME = 'trusted-keys.json';
const FORMAT = 'ice-sso-trusted-keys';

export interface TrustedKey {
  /** Canonical fingerprint (32 hex digits in groups of four). */
  fingerprint: string;
  /** Who the key belongs to, as the admin named it ("Contoso field team"). */
  name?: string;
  /** The public key in minisign's one-line form, when it was trusted from a key file. */
  publicKey?: string;
  /** minisign key id as minisign prints it. */
  keyId: string;
  addedAt: string;
  /** How it was added: from a key file, or from a fingerprint read out by the engineer. */
  source: 'file' | 'fingerprint';
}

const trustedKeySchema = z.strictObject({
  fingerprint: z.string().regex(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/),
  name: z.string().min(1).max(200).optional(),
  publicKey: z.string().regex(/^RW[A-Za-z0-9+/]{54}$/).optional(),
  keyId: z.string().regex(/^[0-9A-F]{1,16}$/),
  addedAt: z.iso.datetime({ offset: true }),
  source: z.enum(['file', 'fingerprint']),
});
const trustFileSchema = z.strictObject({ format: z.literal(FORMAT), version: z.literal(1), keys: z.array(trustedKeySchema) });

export class TrustStore {
  constructor(readonly file: string) {}

  static inDir(dir: string): TrustStore {
    return new TrustStore(path.join(dir, TRUST_FILE_NAME));
  }

  async list(): Promise<TrustedKey[]> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new KeyError(`cannot read the trusted keys ${this.file}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KeyError(`the trusted keys file ${this.file} is damaged (not JSON); fix it or move it away, then trust the keys again`);
    }
    const r = trustFileSchema.safeParse(parsed);
    if (!r.success) throw new KeyError(`the trusted keys file ${this.file} is damaged (${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}); fix it or move it away, then trust the keys again`);
    // A key trusted from a file must match its fingerprint: a hand-edited entry cannot point one at the other.
    for (const k of r.data.keys) {
      if (k.publicKey && fingerprintOf(Buffer.from(k.publicKey, 'base64').subarray(10)) !== k.fingerprint) {
        throw new KeyError(`the trusted keys file ${this.file} is damaged: the entry ${k.fingerprint} holds another key; fix it or move it away`);
      }
    }
    return r.data.keys as TrustedKey[];
  }

  private async write(keys: TrustedKey[]): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify({ format: FORMAT, version: 1, keys }, null, 2) + '\n', { mode: 0o600, mkdir: { mode: 0o700 } });
  }

  /** Trust a public key (from a file the engineer gave) or a fingerprint (read out by the engineer). Replaces an entry with the same fingerprint. */
  async add(what: { key: KeyObject } | { fingerprint: string }, opts: { name?: string; now?: Date } = {}): Promise<{ entry: TrustedKey; replaced: boolean }> {
    const name = opts.name?.trim();
    if (name !== undefined && (name === '' || name.length > 200 || /[\r\n\t]/.test(name))) throw new KeyError('--name must be one line of 1 to 200 characters');
    let entry: TrustedKey;
    const addedAt = (opts.now ?? new Date()).toISOString();
    if ('key' in what) {
      const raw = rawPublicKey(what.key);
      entry = { fingerprint: fingerprintOf(raw), ...(name ? { name } : {}), publicKey: minisignPublicKeyBase64(raw), keyId: minisignKeyIdText(raw), addedAt, source: 'file' };
    } else {
      const p = parseFingerprint(what.fingerprint);
      if ('error' in p) throw new KeyError(p.error);
      entry = { fingerprint: p.fingerprint, ...(name ? { name } : {}), keyId: p.fingerprint.replace(/ /g, '').slice(0, 16).replace(/^0+(?=.)/, ''), addedAt, source: 'fingerprint' };
    }
    const keys = await this.list();
    const i = keys.findIndex((k) => k.fingerprint === entry.fingerprint);
    if (i >= 0) keys[i] = entry;
    else keys.push(entry);
    await this.write(keys);
    return { entry, replaced: i >= 0 };
  }

  /** Stop trusting a key; returns the removed entry, or null when it was not trusted. */
  async remove(fingerprint: string): Promise<TrustedKey | null> {
    const p = parseFingerprint(fingerprint);
    if ('error' in p) throw new KeyError(p.error);
    const keys = await this.list();
    const gone = keys.find((k) => k.fingerprint === p.fingerprint);
    if (!gone) return null;
    await this.write(keys.filter((k) => k !== gone));
    return gone;
  }
}
