// Root causes once, dependent steps grouped; the visit's stages and the next action. Plain data: the real audit
// of the Graph fixtures.
import { describe, expect, it } from 'vitest';
import { audit } from '../../src-main/core/audit';
import { groupProblems, journey, notReadYet } from '../../src-main/shared/guidance';
import { settingsOrThrow } from '../../src-main/core/settings';
import { STEP_IDS, type GraphApplication, type GraphServicePrincipal, type StepResult } from '../../src-main/core/types';
import { COMPLIANT, fixture } from '../support/fixtures';

const settings = settingsOrThrow({ hosts: COMPLIANT.hosts });
const steps = (application: GraphApplication | null, servicePrincipal: GraphServicePrincipal | null = null) =>
  audit({ application, servicePrincipal, grants: [], tenantId: COMPLIANT.tenantId }, settings).steps;
const unread: StepResult[] = STEP_IDS.map((id) => ({ id, status: 'unknown', title: id, found: '', expected: '', fix: '' }));

describe('groupProblems', () => {
  it('nothing read: one problem, Verify', () => {
    expect(notReadYet(unread)).toBe(true);
    const p = groupProblems(unread);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ action: 'verify', status: 'unknown' });
    expect(p[0]!.title).toMatch(/^Not checked yet: Verify/);
  });

  it('an empty tenant: one root cause, every failing step grouped under it', () => {
    const s = steps(null);
    const fails = s.filter((x) => x.status === 'fail').length;
    expect(fails).toBeGreaterThan(10);
    const p = groupProblems(s);
    expect(p).toHaveLength(1);
    expect(p[0]!.title).toBe('No ICE registration in this tenant yet: Apply creates it.');
    expect(p[0]!.action).toBe('apply');
    expect(p[0]!.steps[0]).toBe('register.app');
    for (const x of s) if (x.status === 'fail') expect(p[0]!.steps).toContain(x.id);
    expect(p[0]!.steps).not.toContain('proof.token');
  });

  it('the portal default registration: one problem per cause, fails first, values grouped under the first fix', () => {
    const s = steps(fixture<GraphApplication>('portal-default-registration.json'), fixture<GraphServicePrincipal>('compliant-service-principal.json'));
    const p = groupProblems(s);
    expect(p.length).toBeGreaterThan(1);
    const ids = p.flatMap((x) => x.steps);
    expect(new Set(ids).size).toBe(ids.length); // each step under one problem only
    expect(p.find((x) => x.root === 'permissions.no-graph')).toMatchObject({ action: 'apply', status: 'fail' });
    expect(p.map((x) => x.root)).not.toContain('overview.values');
    const ranks = p.map((x) => ['fail', 'warn', 'unknown'].indexOf(x.status));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it('a missing service principal is a root cause of its own', () => {
    const s = steps(fixture<GraphApplication>('compliant-application.json'), null);
    const p = groupProblems(s);
    expect(p[0]).toMatchObject({ root: 'tenant.service-principal', action: 'apply' });
  });

  it('a compliant registration: no problems', () => {
    expect(groupProblems(steps(fixture<GraphApplication>('compliant-application.json'), fixture<GraphServicePrincipal>('compliant-service-principal.json')))).toEqual([]);
  });
});

describe('journey', () => {
  it('walks Site → Sign in → Check → Fix → Prove, the next stage always named', () => {
    expect(journey({ hasSite: false, signedIn: false, steps: null, exported: false }).next).toBe('site');
    expect(journey({ hasSite: true, signedIn: false, steps: unread, exported: false }).next).toBe('signin');
    expect(journey({ hasSite: true, signedIn: true, steps: unread, exported: false }).next).toBe('check');
    const empty = journey({ hasSite: true, signedIn: true, steps: steps(null), exported: false });
    expect(empty.next).toBe('fix');
    expect(empty.stages.check).toBe('done');
    const ok = journey({ hasSite: true, signedIn: true, steps: steps(fixture('compliant-application.json'), fixture('compliant-service-principal.json')), exported: false });
    expect(ok.stages.fix).toBe('done');
    expect(ok.next).toBe('prove');
  });
});
