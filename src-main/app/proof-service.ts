// "Prove sign-in" for the desktop app: proof.token for a site, in one click (a sign-in window main watches), or with
// the system browser and a pasted address as the fallback. Tokens stay in here: callers get the step and the run.
// Failures keep their codes (site.*, signin.*) up to the dispatcher.
import { captureSignInRedirect, type SignInWindow } from '../auth/proof-window';
import { finishSiteProof, startSiteProof } from '../ops/proof';
import type { ProofSignIn, ProofTarget } from '../auth/proof';
import { loginHost } from '../core/clouds';
import type { RunRecord, StepResult } from '../core/types';
import { AppError } from '../lib/errors';

export interface ProofDeps {
  /** Opens the app's sign-in window (main: a sandboxed BrowserWindow without preload); absent where there is none. */
  openSignInWindow?: () => SignInWindow;
  /** Opens an allow-listed URL in the system browser. */
  openBrowser(url: string, extraHosts: string[]): Promise<void>;
}

export class ProofService {
  private abort: AbortController | null = null;
  /** The system-browser proof waiting for its pasted address, per site file. */
  private readonly pending = new Map<string, { signIn: ProofSignIn; target: ProofTarget }>();

  constructor(private readonly deps: ProofDeps) {}

  /** Sign in as the ICE app in the app's own window; the redirect is captured, redeemed and checked. */
  async inWindow(siteFile: string, opts: { by?: string; loginHint?: string }): Promise<{ step: StepResult; run: RunRecord }> {
    if (!this.deps.openSignInWindow) throw new AppError('usage', 'The sign-in window is not available here: use the system browser instead.');
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const { signIn, target } = await startSiteProof(siteFile, opts.loginHint ? { loginHint: opts.loginHint } : {});
      const landed = await captureSignInRedirect(this.deps.openSignInWindow(), signIn, { signal: abort.signal });
      return await finishSiteProof(siteFile, signIn, target, landed, opts.by ? { by: opts.by } : {});
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  /** The fallback: opens the authorize URL in the system browser; the user pastes the address it lands on. */
  async inBrowser(siteFile: string, opts: { loginHint?: string }): Promise<{ redirectUri: string }> {
    const started = await startSiteProof(siteFile, opts.loginHint ? { loginHint: opts.loginHint } : {});
    this.pending.set(siteFile, started);
    await this.deps.openBrowser(started.signIn.url, [loginHost(started.target.cloud)]);
    return { redirectUri: started.signIn.redirectUri };
  }

  async paste(siteFile: string, address: string, opts: { by?: string }): Promise<{ step: StepResult; run: RunRecord }> {
    const p = this.pending.get(siteFile);
    if (!p) throw new AppError('usage', 'No sign-in is waiting for an address: start "Prove sign-in" with the system browser first.');
    const r = await finishSiteProof(siteFile, p.signIn, p.target, address, opts.by ? { by: opts.by } : {});
    this.pending.delete(siteFile);
    return r;
  }

  /** Closes the sign-in window (nothing is recorded) and forgets a waiting browser sign-in. */
  cancel(): boolean {
    const had = !!this.abort || this.pending.size > 0;
    this.abort?.abort();
    this.pending.clear();
    return had;
  }
}
