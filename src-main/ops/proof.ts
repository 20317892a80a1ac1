// proof.token for a saved site: sign in as the site's ICE app (client id, Application ID URI and scope of its latest
// verify/apply), get the address the browser was sent to, redeem it (PKCE) and check the token as ICE would. The
// result is recorded in the site as a new run (kind "audit": the latest run's steps and values with proof.token
// replaced), so the checklist and the next bundle carry it. How the address is obtained is the caller's: the app's
// sign-in window (proof-window.ts) or the user pasting it from the system browser.
import { parseSettings } from '../core/settings';
import { audienceNeedsV2 } from '../core/desired';
import type { RunRecord, Settings, StepResult } from '../core/types';
import { AppError } from '../lib/errors';
import { latestRun, loadSite } from '../sites/store';
import { recordRun } from './site';
import { checkProofToken, startProofSignIn, type ProofSignIn, type ProofTarget } from '../auth/proof';

export class SiteProofError extends AppError {
  override name = 'SiteProofError';
}

/** What to prove for a site, from its settings and latest run; a SiteProofError says what is missing. */
export async function proofTargetForSite(siteFile: string): Promise<{ target: ProofTarget; settings: Settings; last: RunRecord }> {
  const { site } = await loadSite(siteFile);
  const parsed = parseSettings(site.settings);
  if (!parsed.ok) throw new SiteProofError('site.settings-invalid', `The settings saved in "${site.name}" are not valid: fix them on the Setup screen first.`);
  const last = latestRun(site);
  const appId = last?.values.clientId ?? last?.app?.appId ?? null;
  const tenantId = last?.values.tenantId ?? last?.tenantId ?? null;
  const identifierUri = last?.values.audience ?? null;
  if (!last || !appId || !tenantId || !identifierUri) {
    throw new SiteProofError(
      'site.no-run',
      `There is nothing to prove yet for "${site.name}": the ICE app registration, its client id and its Application ID URI must exist. Run Verify (or Apply fixes) first.`,
    );
  }
  return {
    settings: parsed.settings,
    last,
    target: {
      cloud: parsed.settings.cloud,
      tenantId,
      appId,
      identifierUri,
      scopeValue: parsed.settings.scopeValue,
      requestedAccessTokenVersion: audienceNeedsV2(parsed.settings.signInAudience) ? 2 : null,
    },
  };
}

export interface SiteProofResult {
  step: StepResult;
  run: RunRecord;
}

/** Starts the sign-in as the site's ICE app: the authorize URL to open and the redirect URI it ends on. */
export async function startSiteProof(siteFile: string, opts: { loginHint?: string } = {}): Promise<{ signIn: ProofSignIn; target: ProofTarget }> {
  const { target } = await proofTargetForSite(siteFile);
  return { signIn: await startProofSignIn(target, opts), target };
}

/** Redeems the landed address, checks the token (never returned) and records proof.token in the site. */
export async function finishSiteProof(siteFile: string, signIn: ProofSignIn, target: ProofTarget, landedUrl: string, opts: { by?: string } = {}): Promise<SiteProofResult> {
  const token = await signIn.complete(landedUrl);
  const step = await checkProofToken(token, target);
  // Re-read: the site may have been verified again while the user was signing in.
  const { last } = await proofTargetForSite(siteFile);
  const steps = last.steps.some((s) => s.id === 'proof.token') ? last.steps.map((s) => (s.id === 'proof.token' ? step : s)) : [...last.steps, step];
  const run = await recordRun(
    { file: siteFile },
    { kind: 'audit', check: 'proof', ...(opts.by ? { by: opts.by } : {}), ...(last.tenantId ? { tenantId: last.tenantId } : {}), ...(last.app ? { app: last.app } : {}), steps, values: last.values },
  );
  return { step, run };
}

/** The whole proof in one call: `obtainAddress` shows the sign-in (the app's window) and returns the landed address. */
export async function proveSite(
  siteFile: string,
  obtainAddress: (start: { url: string; redirectUri: string }) => Promise<string>,
  opts: { by?: string; loginHint?: string } = {},
): Promise<SiteProofResult> {
  const { signIn, target } = await startSiteProof(siteFile, opts.loginHint ? { loginHint: opts.loginHint } : {});
  const landed = await obtainAddress({ url: signIn.url, redirectUri: signIn.redirectUri });
  return finishSiteProof(siteFile, signIn, target, landed, opts.by ? { by: opts.by } : {});
}
