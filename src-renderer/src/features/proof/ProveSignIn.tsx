// "Prove sign-in": proof.token in one click. Main opens a sign-in window for the site's ICE app and checks the token
// it gets; this button and its dialog only start, explain and show the result. The system browser with a pasted
// address is the fallback. Self-contained: the screen that hosts it passes the site and takes the new checklist.
import { useEffect, useRef, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { PersonAvailableRegular } from '@fluentui/react-icons';
import type { ChecklistView, RunRecord, StepResult } from '../../../../src-main/shared/ipc-contract';
import { invoke } from '../../api';

export interface ProofOutcome {
  step: StepResult;
  checklist: ChecklistView;
  run: RunRecord;
}

type Phase =
  | { kind: 'closed' }
  | { kind: 'window' }
  | { kind: 'browser'; redirectUri: string }
  | { kind: 'checking' }
  | { kind: 'done'; step: StepResult }
  | { kind: 'failed'; error: string };

const INTENT: Record<StepResult['status'], 'success' | 'warning' | 'error' | 'info'> = { pass: 'success', warn: 'warning', fail: 'error', info: 'info', unknown: 'info' };
const HEADLINE: Record<StepResult['status'], string> = {
  pass: 'Sign-in proved: ICE can validate this token',
  warn: 'Sign-in works, with a warning',
  fail: 'ICE would reject this token',
  info: 'Sign-in checked',
  unknown: 'Sign-in not proved',
};

export interface ProveSignInProps {
  siteId: string;
  disabled?: boolean;
  onProved(outcome: ProofOutcome): void;
  /** Start as if clicked (the journey's "Prove sign-in"), as soon as the button is enabled; onStarted says it did. */
  startNow?: boolean;
  onStarted?(): void;
}

export function ProveSignIn({ siteId, disabled, onProved, startNow, onStarted }: ProveSignInProps) {
  const [phase, setPhase] = useState<Phase>({ kind: 'closed' });
  const [address, setAddress] = useState('');
  // Each attempt has a number: the answer of one the user moved away from (cancelled, switched to the browser) is dropped.
  const attempt = useRef(0);

  const finish = (n: number, r: Awaited<ReturnType<typeof invoke<'proof.inWindow'>>>) => {
    if (n !== attempt.current) return;
    if (!r.ok) return setPhase({ kind: 'failed', error: r.message });
    onProved({ step: r.step, checklist: r.checklist, run: r.run });
    setPhase({ kind: 'done', step: r.step });
  };
  const inWindow = async () => {
    const n = ++attempt.current;
    setPhase({ kind: 'window' });
    finish(n, await invoke('proof.inWindow', { siteId }));
  };
  const inBrowser = async () => {
    const n = ++attempt.current;
    await invoke('proof.cancel', {});
    setAddress('');
    const r = await invoke('proof.inBrowser', { siteId });
    if (n !== attempt.current) return;
    setPhase(r.ok ? { kind: 'browser', redirectUri: r.redirectUri } : { kind: 'failed', error: r.message });
  };
  const paste = async () => {
    const n = attempt.current;
    setPhase({ kind: 'checking' });
    finish(n, await invoke('proof.paste', { siteId, address }));
  };
  // The journey asked: start once the button could be pressed (a run in progress finishes first).
  useEffect(() => {
    if (!startNow || disabled || phase.kind !== 'closed') return;
    // Opening the sign-in window is work outside React: started from a task, as a click would.
    const t = setTimeout(() => {
      onStarted?.();
      void inWindow();
    }, 0);
    return () => clearTimeout(t);
    // inWindow is this render's closure over siteId; the request is taken as it starts, so it starts once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [startNow, disabled, phase.kind]);

  const close = () => {
    attempt.current += 1;
    void invoke('proof.cancel', {});
    setPhase({ kind: 'closed' });
  };

  return (
    <>
      <Button icon={<PersonAvailableRegular />} disabled={disabled || phase.kind !== 'closed'} onClick={() => void inWindow()} data-testid="prove-signin">
        Prove sign-in
      </Button>
      <Dialog open={phase.kind !== 'closed'} modalType="alert" onOpenChange={(_e, d) => !d.open && close()}>
        <DialogSurface aria-describedby={undefined} data-testid="proof-dialog">
          <DialogBody>
            <DialogTitle>Prove sign-in as the ICE app</DialogTitle>
            <DialogContent>
              {phase.kind === 'window' && (
                <>
                  <Spinner size="small" labelPosition="after" label="Waiting for the sign-in window" />
                  <Text block style={{ marginTop: tokens.spacingVerticalM }}>
                    Sign in there with a test user of the tenant, as ICE Desktop users do. The app signs in as the ICE
                    app, checks the token ICE would receive and keeps only the result, never the token.
                  </Text>
                </>
              )}
              {phase.kind === 'browser' && (
                <>
                  <Text block>
                    Your web browser opened the sign-in page. Sign in with a test user; the browser then shows an empty
                    page. Copy that page&apos;s whole address (it starts with {phase.redirectUri}) and paste it here.
                  </Text>
                  <Field label="Address of the page the browser landed on" style={{ marginTop: tokens.spacingVerticalM }}>
                    <Input
                      value={address}
                      onChange={(_e, d) => setAddress(d.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' && address.trim()) void paste();
                      }}
                      data-testid="proof-address"
                    />
                  </Field>
                </>
              )}
              {phase.kind === 'checking' && <Spinner size="small" labelPosition="after" label="Checking the token as ICE would" />}
              {phase.kind === 'done' && (
                <MessageBar intent={INTENT[phase.step.status]} layout="multiline" data-testid="proof-result" data-status={phase.step.status}>
                  <MessageBarBody>
                    <MessageBarTitle>{HEADLINE[phase.step.status]}</MessageBarTitle>
                    {phase.step.found}
                    {phase.step.fix ? ` ${phase.step.fix}` : ''}
                  </MessageBarBody>
                </MessageBar>
              )}
              {phase.kind === 'failed' && (
                <MessageBar intent="error" layout="multiline" data-testid="proof-error">
                  <MessageBarBody>
                    <MessageBarTitle>Not proved</MessageBarTitle>
                    {phase.error}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              {(phase.kind === 'window' || phase.kind === 'failed') && (
                <Button onClick={() => void inBrowser()} data-testid="proof-use-browser">
                  Use the system browser instead
                </Button>
              )}
              {phase.kind === 'browser' && (
                <Button appearance="primary" disabled={!address.trim()} onClick={() => void paste()} data-testid="proof-check">
                  Check
                </Button>
              )}
              <Button appearance={phase.kind === 'done' ? 'primary' : 'secondary'} onClick={close} data-testid="proof-close">
                {phase.kind === 'done' ? 'Close' : 'Cancel'}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}
