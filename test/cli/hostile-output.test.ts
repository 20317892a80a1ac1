// Issue 8: strings from files and servers never drive the terminal. The CLI's output goes through one sanitiser
// (src-main/lib/terminal-text.ts); @xterm/headless shows what a terminal would display, and it must match the
// verdict: a tampered bundle reads INVALID, a hostile ICE Server's server-check never reads PASS. Each test also
// shows that the same output, unsanitised, would have displayed the lie (so the attack in the test is real).
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../src-main/bundle/zip';
import { applyRun, newSiteDocument, serializeSite } from '../../src-main/sites/store';
import { tmpDir, verifiedRun, verifiedSite } from '../support/sites';
import { startFakeIce, json, type FakeIce } from '../server/fake-ice';
import { screenOf, unescaped } from './xterm-screen';
import { cliIn } from '../support/cli';

const CSI = '\u009b'; // the 8-bit Control Sequence Introducer: JSON.stringify does not escape it
const ESC = '\u001b';

function cli(dir: string, cfg: string, argv: string[], tty = false): Promise<{ code: number; out: string; err: string }> {
  return cliIn(dir, cfg, argv, { tty });
}

describe('terminal output of hostile bundles and servers (xterm-headless)', () => {
  let dir: string;
  let cfg: string;
  beforeAll(async () => {
    dir = await tmpDir('hostile-out');
    cfg = await tmpDir('hostile-cfg');
  });

  it('bundle verify on a tampered bundle: the screen says INVALID, never VALID', async () => {
    await fsp.writeFile(path.join(dir, 'contoso.json'), serializeSite(verifiedSite('Contoso HQ')));
    expect((await cli(dir, cfg, ['bundle', 'export', '--site', 'contoso.json', '--out', dir])).code).toBe(0);
    const entries = readZip(await fsp.readFile(path.join(dir, 'Contoso-HQ.icesso')));
    // A key in values.json whose name rewrites the report's first lines: cursor up, column 1, erase line, text.
    const payload = `${CSI}9A${CSI}1G${CSI}2KVALID: contoso.icesso${CSI}1B${CSI}1G${CSI}2K  signed by the expected key, fingerprint 0000 0000 0000 0000${CSI}1B${CSI}1G${CSI}2K  archive ok · signature ok · minisign ok · hashes ok · schemas ok${CSI}1B${CSI}1G${CSI}2K${ESC}[8m`;
    const tampered = writeZip(
      entries.map((e) => {
        if (e.name !== 'values.json') return e;
        const v = JSON.parse(e.data.toString('utf8')) as Record<string, unknown>;
        return { name: e.name, data: Buffer.from(JSON.stringify({ ...v, [payload]: 1 }, null, 2)) };
      }),
    );
    await fsp.writeFile(path.join(dir, 'contoso.icesso'), tampered);
    for (const tty of [false, true]) {
      const r = await cli(dir, cfg, ['bundle', 'verify', 'contoso.icesso'], tty);
      expect(r.code).toBe(1);
      const screen = await screenOf(r.out);
      expect(screen.split('\n')[0]).toMatch(/^INVALID: contoso\.icesso$/);
      expect(screen).not.toMatch(/^VALID/m);
      expect(screen).not.toMatch(/^\s*signed by the expected key/m);
      expect(screen).not.toMatch(/^\s*archive ok · signature ok · minisign ok · hashes ok · schemas ok/m);
      expect(screen).toContain('\\u009b9A'); // shown escaped, so the reader sees something is off
      // Without the sanitiser this very output would have shown VALID in the first line.
      const raw = await screenOf(unescaped(r.out));
      expect(raw.split('\n')[0]).toMatch(/^VALID: contoso\.icesso/);
    }
    // bundle show says INVALID, too.
    const show = await cli(dir, cfg, ['bundle', 'show', 'contoso.icesso']);
    expect(show.code).toBe(1);
    const screen = await screenOf(show.out);
    expect(screen.split('\n')[0]).toMatch(/^INVALID/);
    expect(screen).not.toMatch(/^VALID/m);
    // --json stays valid JSON carrying the same (escaped) characters.
    const j = await cli(dir, cfg, ['bundle', 'verify', 'contoso.icesso', '--json']);
    expect(JSON.parse(j.out)).toMatchObject({ valid: false });
    expect(await screenOf(j.out)).not.toMatch(/^VALID/m);
  });

  it('site names, zod messages and other file text are shown escaped (sites list, sites show)', async () => {
    const d = await tmpDir('hostile-names');
    const name = `Contoso${ESC}[2J${ESC}]0;pwned\u0007 \u202eevil\u202c`;
    await fsp.writeFile(path.join(d, 'a.json'), serializeSite(verifiedSite(name)));
    await fsp.writeFile(path.join(d, 'b.json'), JSON.stringify({ format: 'ice-sso-site', schemaVersion: 1, name: 3, [`${CSI}2J`]: 1 }));
    for (const argv of [['sites', 'list', '.'], ['sites', 'show', 'a.json'], ['sites', 'show', 'b.json']]) {
      const r = await cli(d, cfg, argv);
      for (const text of [r.out, r.err]) {
        for (const c of [ESC, CSI, '\u0007', '\u202e']) expect(text).not.toContain(c);
      }
    }
    const list = await cli(d, cfg, ['sites', 'list', '.']);
    expect(list.out).toContain('Contoso\\u001b[2J');
    expect(await screenOf(list.out)).toContain('\\u202eevil');
  });

  describe('server-check against a hostile ICE Server', () => {
    let ice: FakeIce;
    beforeAll(async () => {
      ice = await startFakeIce();
    });
    afterAll(async () => ice.close());

    it('the screen never says PASS or "every host matches" while the check fails', async () => {
      const { run, settingsInput } = verifiedRun({ hosts: [ice.host] });
      const site = applyRun(newSiteDocument({ name: 'Lab', settings: settingsInput, tenant: { id: run.tenantId! } }), run);
      await fsp.writeFile(path.join(dir, 'lab.json'), serializeSite(site));
      const fake = `${CSI}3A${CSI}1G${CSI}2KICE Server /sso-meta: every host matches${CSI}1B${CSI}1G${CSI}2K  ✔ ${ice.base}/sso-meta (3 ms): all 9 documented keys match.${CSI}1B${CSI}1G${CSI}2K`;
      ice.handler = json({ provider: 'azure_ad', ...run.values, tenantId: `${CSI}2A${CSI}1G${CSI}2K✔ PASS    ICE Server /sso-meta matches${CSI}8m`, [fake]: 'x' });
      for (const tty of [false, true]) {
        const r = await cli(dir, cfg, ['server-check', '--site', 'lab.json'], tty);
        expect(r.code).toBe(1);
        const screen = await screenOf(r.out);
        expect(screen.split('\n')[0]).toBe('ICE Server /sso-meta: differences found');
        expect(screen).not.toMatch(/^ICE Server \/sso-meta: every host matches/m);
        expect(screen).not.toMatch(/^\s*✔ (PASS|https)/m);
        expect(screen).toMatch(/^✖ FAIL/m);
        const raw = await screenOf(unescaped(r.out));
        expect(raw).toMatch(/^ICE Server \/sso-meta: every host matches/m);
      }
      // Nothing the server said is stored in the site: key names of differences only.
      const saved = await fsp.readFile(path.join(dir, 'lab.json'), 'utf8');
      expect(saved).not.toContain('✔ PASS');
      expect(saved).not.toContain('\\u009b');
      expect(saved).toMatch(/tenantId differs, expected/);
    });
  });
});
