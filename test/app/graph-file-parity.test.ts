// One parser for Graph application files (src-main/graph/files): `audit --app` and Review offline accept and
// refuse the same JSON, for the same reason. Every fixture in test/fixtures/graph, and hostile variants.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testAppServices } from '../support/app';
import { dispatch } from '../../src-main/app/dispatch';
import { cli } from '../support/cli';
import { FIXTURES_DIR, fixture } from '../support/fixtures';
import { tmpDirSync } from '../support/tmp';

const tmp = tmpDirSync('parity');
const answers: string[] = [];
const services = testAppServices(tmp, { answers });

const app = fixture('docs-application-get.json');
const HOSTILE: Record<string, unknown> = {
  'list-of-one.json': { value: [app] },
  'list-of-two.json': { value: [app, app] },
  'empty-list.json': { value: [] },
  'array.json': [app],
  'null.json': null,
  'number.json': 42,
  'string.json': 'an application',
  'no-ids.json': { signInAudience: 'AzureADMyOrg', spa: { redirectUris: ['https://a.example/sso'] } },
  'legacy-manifest.json': { appId: app.appId, oauth2Permissions: [], replyUrlsWithType: [] },
  'service-principal-looking.json': { id: 'x', appId: 'y', servicePrincipalNames: ['y'] },
  'grant-looking.json': { id: 'x', clientId: 'y', consentType: 'AllPrincipals', resourceId: 'z' },
  'wrong-types.json': { ...app, spa: { redirectUris: 'https://dc1.example.com/sso' } },
  'wrong-scope-shape.json': { ...app, api: { oauth2PermissionScopes: [{ value: 'UserProfile.ReadWrite' }] } },
  'list-with-one-non-object.json': { value: ['not an app'] },
};

const files: string[] = [
  ...readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(FIXTURES_DIR, f)),
  ...Object.entries(HOSTILE).map(([name, value]) => {
    const f = path.join(tmp, name);
    writeFileSync(f, JSON.stringify(value));
    return f;
  }),
];

interface Verdict {
  accepted: boolean;
  /** The reason for a refusal, without the part naming the source (`--app FILE: ` or `FILE: `). */
  reason?: string;
}

async function viaCli(file: string): Promise<Verdict> {
  const r = await cli(['audit', '--app', file, '--host', 'test.icnow.app', '--json']);
  if (r.code === 0 || r.code === 1) return { accepted: true };
  expect(r.code, r.stderr).toBe(2);
  const prefix = `error: --app ${file}: `;
  expect(r.stderr.startsWith(prefix), r.stderr).toBe(true);
  return { accepted: false, reason: r.stderr.slice(prefix.length).trim() };
}

async function viaReview(file: string): Promise<Verdict> {
  answers.push(file);
  const r = (await dispatch(services, 'review.openFile', { kind: 'application' })) as { ok: boolean; code?: string; message?: string; review?: { source: string } };
  if (r.ok) {
    expect(r.review?.source).toBe('application');
    return { accepted: true };
  }
  expect(r.code).toBe('graph-file.invalid');
  const prefix = `${file}: `;
  expect(r.message!.startsWith(prefix), r.message).toBe(true);
  return { accepted: false, reason: r.message!.slice(prefix.length).trim() };
}

describe('audit --app and Review offline read application JSON alike', () => {
  const verdicts = new Map<string, { cli: Verdict; review: Verdict }>();
  beforeAll(async () => {
    for (const f of files) verdicts.set(f, { cli: await viaCli(f), review: await viaReview(f) });
  });

  it.each(files.map((f) => [path.basename(f), f]))('%s: same verdict, same reason', (_name, file) => {
    const v = verdicts.get(file)!;
    expect(v.review).toEqual(v.cli);
  });

  it('both ways: the set accepted and the set refused are the expected ones', () => {
    const accepted = files.filter((f) => verdicts.get(f)!.cli.accepted).map((f) => path.basename(f)).sort();
    expect(accepted).toEqual(
      [
        'compliant-application.json',
        'docs-application-get-select.json',
        'docs-application-get.json',
        'docs-application-list.json',
        'docs-application-upsert-created.json',
        'list-of-one.json',
        'portal-default-registration.json',
      ].sort(),
    );
    const refused = files.filter((f) => !verdicts.get(f)!.cli.accepted).map((f) => path.basename(f));
    expect(refused).toEqual(expect.arrayContaining(['compliant-service-principal.json', 'docs-serviceprincipal-get.json', 'legacy-manifest.json', 'list-of-two.json', 'wrong-types.json']));
    expect(verdicts.get(path.join(tmp, 'legacy-manifest.json'))!.review.reason).toMatch(/legacy Azure AD Graph manifest/);
    expect(verdicts.get(path.join(tmp, 'wrong-types.json'))!.review.reason).toMatch(/not a usable application object: spa\.redirectUris/);
  });
});
