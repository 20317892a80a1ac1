// The bundle's SHA256SUMS and its minisign signature, checked the way the ICE Server admin checks them with
// Debian's stock `minisign` and coreutils' `sha256sum` (no software of ours), with the engineer's key.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src-main/bundle/build';
import { keyIdHex, minisignKeyId, minisignPublicKeyBase64, minisignPublicKeyFile, minisignSign, minisignVerify, parseMinisignPublicKey } from '../../src-main/bundle/minisign';
import { minisignKeyIdText } from '../../src-main/bundle/keys';
import { readZip } from '../../src-main/bundle/zip';
import { testKey, tmpDir, verifiedSite } from '../support/sites';

const MINISIGN = process.env.MINISIGN_PATH ?? '/usr/bin/minisign';

async function unpack(bytes: Buffer): Promise<string> {
  const dir = await tmpDir('unpacked');
  for (const e of readZip(bytes)) await fsp.writeFile(path.join(dir, e.name), e.data);
  return dir;
}

const run = (dir: string, ...args: string[]) => spawnSync(MINISIGN, args, { cwd: dir, encoding: 'utf8' });
/** The admin's whole check, as README and summary.html give it, in a shell. */
const adminCheck = (dir: string, pub: string) => spawnSync('sh', ['-c', `${MINISIGN} -Vm SHA256SUMS -P "$1" && sha256sum -c SHA256SUMS`, 'sh', pub], { cwd: dir, encoding: 'utf8' });

describe('minisign', () => {
  it('our signature verifies with our own checker, and a changed byte or comment does not', () => {
    const key = testKey();
    const data = Buffer.from('{"files":[]}\n');
    const sig = minisignSign(data, key.privateKey, key.raw, 'timestamp:1\tfile:x');
    expect(minisignVerify(data, sig, key.raw)).toEqual({ ok: true, trustedComment: 'timestamp:1\tfile:x' });
    expect(minisignVerify(Buffer.from('{"files":[1]}\n'), sig, key.raw).problem).toMatch(/does not match the file/);
    expect(minisignVerify(data, sig.replace('file:x', 'file:y'), key.raw).problem).toMatch(/trusted comment was changed/);
    expect(minisignVerify(data, sig, testKey().raw).problem).toMatch(/signed with another key/);
    expect(parseMinisignPublicKey(minisignPublicKeyFile(key.raw))?.raw.equals(key.raw)).toBe(true);
  });

  it('the key id is printed as minisign prints it: the first 16 hex digits of the fingerprint, no leading zeros', () => {
    for (let i = 0; i < 40; i++) {
      const key = testKey();
      const id = keyIdHex(minisignKeyId(key.raw));
      expect(id).toBe(minisignKeyIdText(key.raw));
      expect(key.fingerprint.replace(/ /g, '').slice(0, 16).replace(/^0+/, '')).toBe(id);
      expect(minisignPublicKeyFile(key.raw)).toBe(`untrusted comment: minisign public key ${id}\n${minisignPublicKeyBase64(key.raw)}\n`);
    }
    // minisign prints %PRIX64: a leading zero byte is not printed (seen: 4A46B5ABE692E74 for id bytes 74 2E 69 BE 5A 6B A4 04)
    expect(keyIdHex(Buffer.from([0x74, 0x2e, 0x69, 0xbe, 0x5a, 0x6b, 0xa4, 0x04]))).toBe('4A46B5ABE692E74');
  });

  it("the admin's check with Debian's minisign and sha256sum: the engineer's key passes, a changed file or another key fails", async (ctx) => {
    if (!fs.existsSync(MINISIGN)) {
      console.warn(`minisign test skipped: ${MINISIGN} is not installed (apt-get install minisign)`);
      ctx.skip(`${MINISIGN} is not installed`);
      return;
    }
    const key = testKey();
    const dir = await unpack((await buildBundle(verifiedSite(), { key })).bytes);
    // The bundle holds no public key to be tempted by: the key comes from the engineer.
    expect(fs.readdirSync(dir).filter((n) => /\.pub$|minisign\.pub/.test(n))).toEqual([]);
    const pub = minisignPublicKeyBase64(key.raw);
    const ok = adminCheck(dir, pub);
    expect(ok.stderr + ok.stdout).toMatch(/Signature and comment signature verified/);
    expect(ok.stdout).toMatch(/summary\.html: OK\n/);
    expect(ok.stdout.match(/: OK$/gm)?.length).toBe(7); // six content files + manifest.json
    expect(ok.status).toBe(0);
    expect(ok.stdout + ok.stderr).toContain(`key:${key.fingerprint} (minisign key id ${minisignKeyIdText(key.raw)})`);
    // the trusted comment alone (-Q prints it) names the file, the site and the key in the one fingerprint format
    const q = run(dir, '-Vm', 'SHA256SUMS', '-P', pub, '-Q');
    expect(q.stdout.trim()).toBe(`timestamp:${q.stdout.match(/timestamp:(\d+)/)![1]}\tfile:SHA256SUMS\tsite:Contoso HQ\tkey:${key.fingerprint} (minisign key id ${minisignKeyIdText(key.raw)})`);
    // one changed byte in a content file: minisign still passes (SHA256SUMS is intact), sha256sum catches it
    const v = await fsp.readFile(path.join(dir, 'values.json'));
    v[40]! ^= 0x01;
    await fsp.writeFile(path.join(dir, 'values.json'), v);
    const changed = adminCheck(dir, pub);
    expect(changed.status).not.toBe(0);
    expect(changed.stdout).toMatch(/values\.json: FAILED/);
    v[40]! ^= 0x01;
    await fsp.writeFile(path.join(dir, 'values.json'), v);
    // SHA256SUMS rewritten to match a changed file: minisign refuses it
    const sums = await fsp.readFile(path.join(dir, 'SHA256SUMS'), 'utf8');
    await fsp.writeFile(path.join(dir, 'SHA256SUMS'), sums.replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')));
    const bad = adminCheck(dir, pub);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/Signature verification failed/);
    await fsp.writeFile(path.join(dir, 'SHA256SUMS'), sums);
    // another key (a forger's): minisign names the key ids, as the tool prints them
    const otherKey = testKey();
    const other = adminCheck(dir, minisignPublicKeyBase64(otherKey.raw));
    expect(other.status).not.toBe(0);
    expect(other.stderr + other.stdout).toContain(`Signature key id in SHA256SUMS.minisig is ${minisignKeyIdText(key.raw)}`);
    expect(other.stderr + other.stdout).toContain(`key id in the public key is ${minisignKeyIdText(otherKey.raw)}`);
    expect(adminCheck(dir, pub).status).toBe(0);
  });
});
