// The bundle flows both front ends run (CLI commands and the app's IPC handlers are thin adapters over these):
// check a bundle against what the verifier trusts, and say in words what the verdict means.
import type { KeyObject } from 'node:crypto';
import type { TrustStore } from './trust';
import { verifyBundle, type VerifyReport } from './verify';

export interface TrustInputs {
  /** --public-key: the engineer's key file. */
  publicKey?: KeyObject;
  /** --fingerprint: as the engineer read it out. */
  fingerprint?: string;
  /** The admin's trusted keys. */
  store?: TrustStore;
}

export async function checkBundle(bytes: Buffer, file: string, t: TrustInputs): Promise<VerifyReport> {
  const trusted = t.store ? await t.store.list() : [];
  return verifyBundle(bytes, file, {
    ...(t.publicKey ? { publicKey: t.publicKey } : {}),
    ...(t.fingerprint !== undefined ? { fingerprint: t.fingerprint } : {}),
    trusted,
  });
}

/** The lines after the verdict that say who signed and what to do, for people (CLI and app alike). */
export function trustExplanation(r: VerifyReport, how: { trustCommand: string }): string[] {
  const s = r.signer;
  if (!s) return ['The signer cannot be read (the signature is damaged).'];
  const key = `${s.fingerprint} (minisign key id ${s.keyId})`;
  if (r.verdict === 'VALID') {
    const t = r.trust;
    const why = t?.by === 'public-key' ? 'the public key you gave' : t?.by === 'fingerprint' ? 'the fingerprint you gave' : `your trusted keys${t?.by === 'trusted-keys' && t.name ? ` ("${t.name}")` : ''}`;
    return [`Signed by ${key}, trusted through ${why}.`];
  }
  if (r.verdict === 'UNTRUSTED') {
    return [
      `Signed by ${key}, a key you have not trusted: anyone can make a bundle that looks like this one.`,
      'Call the field engineer on a number you already know and ask them to read out their key fingerprint (they see it on the Export screen or with `keys show`).',
      `If it is the same, trust the key (${how.trustCommand}); if not, do not use these values.`,
      ...r.warnings.map((w) => `WARNING: ${w}.`),
    ];
  }
  if (s.expectedFingerprint && s.expectedFingerprint !== s.fingerprint) return [`Signed by ${key}, not by the key you expected (${s.expectedFingerprint}).`];
  return [`Signed by ${key}; the problems below make the bundle unusable whoever signed it.`];
}

/** "INCOMPLETE: ..." when steps failed when the bundle was made, else null. */
export function incompleteLine(r: VerifyReport): string | null {
  if (r.complete !== false) return null;
  return `INCOMPLETE: ${r.failing?.length ?? 0} step(s) failed when this bundle was made and it was exported anyway: ${(r.failing ?? []).join(', ')}.`;
}
