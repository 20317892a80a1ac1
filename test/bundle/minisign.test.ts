// The detached manifest.json.minisig is checked by Debian's stock `minisign` (no software of ours).
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src-main/bundle/build';
import { minisignPublicKeyFile, minisignSign, minisignVerify, parseMinisignPublicKey } from '../../src-main/bundle/minisign';
import { readZip } from '../../src-main/bundle/zip';
import { testKey, tmpDir, verifiedSite } from '../support/sites';

const MINISIGN = process.env.MINISIGN_PATH ?? '/usr/bin/minisign';

async function unpack(bytes: Buffer): Promise<string> {
  const dir = await tmpDir('unpacked');
  for (const e of readZip(bytes)) await fsp.writeFile(path.join(dir, e.name), e.data);
  return dir;
}

const run = (dir: string, ...args: string[]) => spawnSync(MINISIGN, args, { cwd: dir, encoding: 'utf8' });

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

  it("Debian's minisign verifies manifest.json from an unpacked bundle, and rejects a changed one", async (ctx) => {
    if (!fs.existsSync(MINISIGN)) {
      console.warn(`minisign test skipped: ${MINISIGN} is not installed (apt-get install minisign)`);
      ctx.skip(`${MINISIGN} is not installed`);
      return;
    }
    const key = testKey();
    const dir = await unpack((await buildBundle(verifiedSite(), { key })).bytes);
    const ok = run(dir, '-Vm', 'manifest.json', '-p', 'minisign.pub');
    expect(ok.stderr + ok.stdout).toMatch(/Signature and comment signature verified/);
    expect(ok.status).toBe(0);
    expect(ok.stdout + ok.stderr).toContain(`fingerprint:${key.fingerprint}`);
    // the trusted comment alone (-Q prints it) names the file and the key
    const q = run(dir, '-Vm', 'manifest.json', '-p', 'minisign.pub', '-Q');
    expect(q.stdout.trim()).toMatch(/^timestamp:\d+\tfile:manifest\.json\tsite:Contoso HQ\tfingerprint:/);
    // one changed byte in manifest.json
    const m = await fsp.readFile(path.join(dir, 'manifest.json'));
    m[m.length - 5]! ^= 0x01;
    await fsp.writeFile(path.join(dir, 'manifest.json'), m);
    const bad = run(dir, '-Vm', 'manifest.json', '-p', 'minisign.pub');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/Signature verification failed/);
    // another key's public key
    await fsp.writeFile(path.join(dir, 'other.pub'), minisignPublicKeyFile(testKey().raw));
    m[m.length - 5]! ^= 0x01;
    await fsp.writeFile(path.join(dir, 'manifest.json'), m);
    const other = run(dir, '-Vm', 'manifest.json', '-p', 'other.pub');
    expect(other.status).not.toBe(0);
    expect(other.stderr + other.stdout).toMatch(/key id|different key/i);
  });
});
