// The CLI commands in-process: sites new/list/show, bundle export/verify/show exit codes and messages, keys.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { openSite, recordRun } from '../../src-main/ops/site';
import { readZip, writeZip } from '../../src-main/bundle/zip';
import { tmpDir, verifiedRun } from '../support/sites';

const cli = (dir: string, cfg: string, ...argv: string[]) => cliIn(dir, cfg, argv);

describe('CLI: sites and bundle', () => {
  it('sites new → verify recorded → bundle export → verify/show; refusals and exit codes', async () => {
    const dir = await tmpDir('cli');
    const cfg = await tmpDir('cfg');
    let r = await cli(dir, cfg, 'sites', 'new', '--file', 'contoso.json', '--host', 'ice-dc1.contoso.com', '--host', 'https://ice-dc2.contoso.com/sso', '--site-name', 'Contoso HQ', '--tenant', 'contoso.onmicrosoft.com');
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toContain('Created site "Contoso HQ"');
    r = await cli(dir, cfg, 'sites', 'new', '--file', 'contoso.json', '--host', 'x.example');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/contoso\.json: a file with that name already exists/);
    r = await cli(dir, cfg, 'sites', 'new', '--file', 'bad.json', '--host', 'http://a b');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--host/);

    // no verified values yet: refused, saying why, and no key is made
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', '.');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused: site "Contoso HQ" has no verified values yet/);
    // the CLI names its own command for the next step; the message itself (shared with the app) names no flag
    expect(r.err).toMatch(/Verify the site \(or apply fixes\) first\. With the CLI: `verify --site FILE` or `apply --site FILE`\.\n$/);
    expect(await fsp.readdir(cfg)).toEqual([]);

    // verify --site records its run (as verify does, through ops/site recordRun)
    await recordRun(await openSite(path.join(dir, 'contoso.json')), verifiedRun().run);
    r = await cli(dir, cfg, 'sites', 'show', 'contoso.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Client ID\s+1b4f3c2a/);
    expect(r.out).toMatch(/PASS\s+overview\.values/);

    await fsp.writeFile(path.join(dir, 'broken.json'), '{"format":"ice-sso-site",');
    r = await cli(dir, cfg, 'sites', 'list', '--json');
    const list = JSON.parse(r.out) as Array<{ file: string; ok: boolean; name?: string; error?: string }>;
    expect(list.map((x) => [path.basename(x.file), x.ok])).toEqual([['broken.json', false], ['contoso.json', true]]);
    expect(list[0]!.error).toMatch(/broken\.json: not JSON/);
    r = await cli(dir, cfg, 'sites', 'show', 'broken.json');
    expect(r.code).toBe(2);
    expect(await fsp.readFile(path.join(dir, 'broken.json'), 'utf8')).toBe('{"format":"ice-sso-site",');

    // delete goes to .trash and can be restored; duplicate, import and export never overwrite
    r = await cli(dir, cfg, 'sites', 'duplicate', 'contoso.json', '--to', 'fabrikam.json', '--site-name', 'Fabrikam');
    expect(r.code).toBe(0);
    r = await cli(dir, cfg, 'sites', 'delete', 'fabrikam.json');
    expect(r.code).toBe(0);
    const trashed = /Moved to (.+)\./.exec(r.out)![1]!;
    r = await cli(dir, cfg, 'sites', 'trash', '--json');
    expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ originalName: 'fabrikam.json', trashFile: trashed })]);
    r = await cli(dir, cfg, 'sites', 'restore', trashed);
    expect(r.code).toBe(0);
    r = await cli(dir, cfg, 'sites', 'show', 'fabrikam.json', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ name: 'Fabrikam', history: [] });
    r = await cli(dir, cfg, 'sites', 'export', 'contoso.json', '--out', 'fabrikam.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already exists/);
    const other = await tmpDir('other');
    r = await cli(other, cfg, 'sites', 'import', path.join(dir, 'contoso.json'));
    expect(r.code).toBe(0);
    expect(r.out).toContain(path.join(other, 'contoso.json'));
    r = await cli(other, cfg, 'sites', 'import', path.join(dir, 'broken.json'));
    expect(r.code).toBe(2);
    expect(await fsp.readdir(other)).toEqual(['contoso.json']);

    const usb = await tmpDir('usb');
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', usb);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Created a bundle signing key \(fingerprint [0-9A-F]{4}( [0-9A-F]{4}){7}\)/);
    const fp = /fingerprint ([0-9A-F]{4}(?: [0-9A-F]{4}){7})/.exec(r.err)![1]!;
    expect(r.out).toContain(`Signed with key ${fp} (minisign key id ${fp.replace(/ /g, '').slice(0, 16).replace(/^0+/, '')})`);
    const bundle = path.join(usb, 'Contoso-HQ.icesso');
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', usb);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already exists.*--force/);

    // the admin's side: nothing trusted yet → UNTRUSTED, exit 4, naming the fingerprint and what to do
    const admin = await tmpDir('admin-cfg');
    r = await cli(dir, admin, 'bundle', 'verify', bundle);
    expect(r.code).toBe(4);
    expect(r.out.split(' ')[0]).toBe('UNTRUSTED:');
    expect(r.out).toContain(`Signed by ${fp} (minisign key id`);
    expect(r.out).toMatch(/read out their key fingerprint/);
    expect(r.out).toMatch(/keys trust --fingerprint/);
    r = await cli(dir, admin, 'bundle', 'verify', bundle, '--json');
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'UNTRUSTED', valid: false, complete: true, signer: { fingerprint: fp } });
    r = await cli(dir, cfg, 'keys', 'export', '--out', 'signer.pub');
    expect(r.code).toBe(0);
    r = await cli(dir, admin, 'bundle', 'verify', bundle, '--public-key', 'signer.pub', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'VALID', valid: true, trust: { by: 'public-key' }, signer: { fingerprint: fp, selfSigned: false } });
    r = await cli(dir, admin, 'bundle', 'verify', bundle, '--fingerprint', fp.toLowerCase().replace(/ /g, ''));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^VALID: /);
    r = await cli(dir, admin, 'bundle', 'show', bundle);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/^UNTRUSTED: /);
    expect(r.out).toMatch(/OpenID config URL\s+https:\/\/login\.microsoftonline\.com\/72f988bf/);

    // invalid bundle → 1 with the reason; unusable input → 2
    const entries = readZip(await fsp.readFile(bundle));
    const tampered = writeZip(entries.map((e) => ({ name: e.name, data: e.name === 'values.json' ? Buffer.from(e.data.toString().replace('UserProfile', 'UserPrefile')) : e.data })));
    await fsp.writeFile(path.join(dir, 'tampered.icesso'), tampered);
    r = await cli(dir, cfg, 'bundle', 'verify', 'tampered.icesso');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^INVALID: [\s\S]*values\.json: changed after signing/);
    await fsp.writeFile(path.join(dir, 'cut.icesso'), tampered.subarray(0, 1000));
    r = await cli(dir, cfg, 'bundle', 'verify', 'cut.icesso', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).problems[0].code).toBe('truncated');
    expect((await cli(dir, cfg, 'bundle', 'verify', 'missing.icesso')).code).toBe(2);
    r = await cli(dir, cfg, 'bundle', 'verify', 'contoso.json');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/not a bundle: the file is not a ZIP archive/);
    expect((await cli(dir, cfg, 'bundle', 'verify', bundle, '--public-key', 'contoso.json')).code).toBe(2);
    expect((await cli(dir, cfg, 'bundle', 'frobnicate')).code).toBe(2);
    r = await cli(dir, cfg, 'keys', 'show');
    expect(r.out).toContain(`Fingerprint:      ${fp}`);
    expect(r.out).toMatch(/minisign -P RW[A-Za-z0-9+/]{54}/);
  }, 60_000);
});
