// The Checklist: the problems of the last run first (each root cause once), the primary command the next
// sensible action (Verify before anything was read, Apply fixes when something fails), then every step in
// guide order. What it shows is a function of the checklist flow's state (flow.ts).
import { useEffect, useRef, useState } from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { ShieldCheckmarkRegular, WrenchRegular, DismissRegular, ServerRegular } from '@fluentui/react-icons';
import { needsSignIn } from '../../../../src-main/shared/errors';
import { groupProblems, notReadYet } from '../../../../src-main/shared/guidance';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { CommandBar, type Command } from '../../components/CommandBar';
import { runLine } from '../../components/runWords';
import { ChecklistList, StatusSummary } from './ChecklistView';
import { ProgressList } from './ProgressList';
import { ConfirmApply } from './ConfirmApply';
import { ConsentStepUp } from './ConsentStepUp';
import { ExistingRegistrations } from './ExistingRegistrations';
import { SsoMetaResults } from './SsoMetaResults';
import { Problems } from './Problems';
import { ProveSignIn } from '../proof/ProveSignIn';
import { useChecklistFlow } from './ChecklistFlow';
import { isSettled, type FlowOp } from './flow';

const FAILED_TITLE: Record<FlowOp, string> = {
  load: 'Could not open the site',
  plan: 'Could not plan the changes',
  verify: 'Verify did not finish',
  apply: 'Apply did not finish',
  server: 'ICE Server not checked',
};

export function ChecklistScreen() {
  const nav = useNav();
  const flow = useChecklistFlow();
  const { state } = flow;
  const { phase, view } = state;
  const [linkError, setLinkError] = useState('');
  // After each run the result comes into view: the problems (or "no problems") are first under the header.
  const seqSeen = useRef(state.seq);
  useEffect(() => {
    if (state.seq === seqSeen.current) return;
    seqSeen.current = state.seq;
    document.querySelector('main')?.scrollTo({ top: 0 });
  }, [state.seq]);
  /** The registration this site was pointed at in this session (by site id, so another site shows its own). */
  const [adoptedFor, setAdopted] = useState<{ siteId: string; text: string } | null>(null);
  if (!nav.site) return null;
  const siteId = nav.site.id;
  const adopted = adoptedFor?.siteId === siteId ? adoptedFor.text : '';

  const settled = isSettled(state);
  const running = phase.kind === 'running' ? phase : null;
  const failure = phase.kind === 'failed' ? phase : null;
  const signInFirst = !!failure && needsSignIn(failure.failure.code);
  const unread = !view || notReadYet(view.steps);
  const problems = view && !unread ? groupProblems(view.steps) : [];
  const fixable = problems.some((p) => p.action === 'apply');
  const choosing = problems.some((p) => p.action === 'choose');
  // The primary command is the next sensible one: read first, then fix, then (all green) check the ICE Server.
  // While an existing registration waits to be chosen, the choice (below) comes first: no command is primary.
  const primary: 'verify' | 'apply' | 'check-server' | null = unread ? 'verify' : choosing ? null : fixable ? 'apply' : 'check-server';

  const commands: Command[] = [
    { id: 'verify', label: 'Verify (read-only)', icon: <ShieldCheckmarkRegular />, onClick: flow.verify, disabled: !settled, primary: primary === 'verify', testId: 'verify' },
    { id: 'apply', label: 'Apply fixes…', icon: <WrenchRegular />, onClick: flow.plan, disabled: !settled, primary: primary === 'apply', testId: 'apply' },
    {
      id: 'check-server',
      label: 'Check ICE Server',
      icon: phase.kind === 'checkingServer' ? <Spinner size="extra-tiny" /> : <ServerRegular />,
      onClick: flow.checkServer,
      disabled: !settled,
      primary: primary === 'check-server',
      testId: 'check-server',
    },
  ];
  // The primary first: it is the last to overflow and the first the eye meets.
  commands.sort((a, b) => Number(!!b.primary) - Number(!!a.primary));

  return (
    <>
      <PageHeader
        title="Checklist"
        subtitle={state.lastRun ? `${runLine(state.lastRun)}.` : 'The vendor guide as checks against your tenant. Nothing read yet.'}
        commands={
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, width: '100%' }}>
            <div style={{ flex: 1, minWidth: 0 }}>
              <CommandBar label="Checklist commands" commands={commands} />
            </div>
            {/* proof.token in one click; the result is recorded in the site, so the checklist is read again. */}
            <ProveSignIn
              siteId={siteId}
              disabled={!settled}
              onProved={flow.reload}
              startNow={flow.proofAsked}
              onStarted={flow.takeProofRequest}
            />
          </div>
        }
      />
      {(phase.kind === 'planning' || phase.kind === 'confirming') && (
        <ConfirmApply siteName={nav.site.name} preview={phase.kind === 'confirming' ? phase.preview : null} onCancel={flow.dismiss} onConfirm={flow.apply} />
      )}
      {signInFirst ? (
        <MessageBar intent="warning" style={{ marginBottom: 12 }} data-testid="sign-in-first">
          <MessageBarBody>
            <MessageBarTitle>Sign in first</MessageBarTitle>
            {failure?.failure.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => nav.go('signin')}>Sign in</Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        failure && <ErrorBar error={failure.failure.message} code={failure.failure.code} failure={failure.failure} title={FAILED_TITLE[failure.op]} />
      )}
      <ErrorBar error={linkError} title="Could not open the link" />
      {running && (
        <Section title={running.run === 'apply' ? 'Applying…' : 'Verifying…'} testId="run-section">
          {running.deviceCode ? (
            <ConsentStepUp code={running.deviceCode} running={running.run} />
          ) : (
            <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
              <Spinner size="tiny" label={running.run === 'apply' ? 'Writing the changes the plan needs' : 'Reading the app registration'} />
              {running.run === 'apply' && (
                <Button size="small" icon={<DismissRegular />} onClick={flow.cancelRun}>
                  Stop after this write
                </Button>
              )}
            </div>
          )}
          <ProgressList events={state.progress} />
        </Section>
      )}
      {view && !running && (
        <Section title={unread ? 'Start here' : problems.length ? (problems.length === 1 ? '1 problem' : `${problems.length} problems`) : 'No problems'} testId="problems-section">
          {unread ? (
            <Text block data-testid="not-read">
              Nothing has been read from the tenant for this site yet. <b>Verify</b> reads the app registration (read-only, changes nothing) and shows, step by step, what
              the guide asks and what the tenant has.
            </Text>
          ) : (
            <Problems
              problems={problems}
              steps={view.steps}
              actions={{ verify: flow.verify, apply: flow.plan, busy: !settled, showStep: flow.focusStep }}
            />
          )}
        </Section>
      )}
      {!running && state.progress.length > 0 && (
        <Section title="Last apply">
          <ProgressList events={state.progress} />
        </Section>
      )}
      {(phase.kind === 'checkingServer' || state.serverHosts) && (
        <Section title="ICE Server" testId="sso-meta-section">
          {phase.kind === 'checkingServer' ? (
            <Spinner size="tiny" label="Asking every ICE host for the values it uses (its /sso-meta page)" />
          ) : (
            state.serverHosts && (
              <>
                <Text block size={200} style={{ color: tokens.colorNeutralForeground3, marginBottom: 8 }}>
                  What each ICE Server uses, compared with the eight values of the last run. The result is saved in the site and goes into the next bundle.
                </Text>
                {state.serverHosts.length ? <SsoMetaResults hosts={state.serverHosts} /> : <Text block>{view?.steps.find((s) => s.id === 'server.sso-meta')?.found}</Text>}
              </>
            )
          )}
        </Section>
      )}
      {adopted && (
        <MessageBar intent="success" style={{ marginBottom: 12 }} data-testid="adopted">
          <MessageBarBody>{adopted}</MessageBarBody>
        </MessageBar>
      )}
      {!adopted && view?.candidates && view.candidates.length > 0 && (
        <ExistingRegistrations
          siteId={siteId}
          candidates={view.candidates}
          onAdopted={(r) => {
            setAdopted({
              siteId,
              text: `This site now works on "${r.displayName || '(no name)'}" (client id ${r.appId}). Apply fixes shows what it will write, starting with the assistant's tag.`,
            });
            // Read the chosen registration (read-only): its own problems replace "choose one".
            flow.verify();
          }}
        />
      )}
      <Section title="All steps, in the guide's order">
        {view ? (
          <>
            <StatusSummary steps={view.steps} />
            <ChecklistList steps={view.steps} resetKey={state.seq} focus={flow.focus} onError={setLinkError} />
          </>
        ) : failure?.op === 'load' ? null : (
          <Spinner label="Loading…" />
        )}
      </Section>
    </>
  );
}
