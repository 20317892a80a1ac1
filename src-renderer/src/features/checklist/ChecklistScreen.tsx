import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { ShieldCheckmarkRegular, WrenchRegular, DismissRegular, ServerRegular } from '@fluentui/react-icons';
import { CODES } from '../../api';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { ChecklistList, StatusSummary } from './ChecklistView';
import { ProgressList } from './ProgressList';
import { ConfirmApply } from './ConfirmApply';
import { ConsentStepUp } from './ConsentStepUp';
import { ExistingRegistrations } from './ExistingRegistrations';
import { SsoMetaResults } from './SsoMetaResults';
import { ProveSignIn } from '../proof/ProveSignIn';
import { useChecklistFlow } from './ChecklistFlow';
import { isSettled, type FlowOp, type LastRun } from './flow';
import { useState } from 'react';

const FAILED_TITLE: Record<FlowOp, string> = {
  load: 'Could not open the site',
  plan: 'Could not plan the changes',
  verify: 'Verify did not finish',
  apply: 'Apply did not finish',
  server: 'ICE Server not checked',
};

function describeRun(r: LastRun): string {
  return `${r.kind} on ${new Date(r.at).toLocaleString()}${r.by ? ` by ${r.by}` : ''}`;
}

export function ChecklistScreen() {
  const nav = useNav();
  const flow = useChecklistFlow();
  const { state } = flow;
  const { phase, view } = state;
  const [linkError, setLinkError] = useState('');
  /** The registration this site was pointed at in this session (by site id, so another site shows its own). */
  const [adoptedFor, setAdopted] = useState<{ siteId: string; text: string } | null>(null);
  if (!nav.site) return null;
  const siteId = nav.site.id;
  const adopted = adoptedFor?.siteId === siteId ? adoptedFor.text : '';

  const settled = isSettled(state);
  const running = phase.kind === 'running' ? phase : null;
  const failure = phase.kind === 'failed' ? phase : null;
  const needsSignIn = failure?.failure.code === CODES.notSignedIn;

  return (
    <>
      <PageHeader
        title="Checklist"
        subtitle={state.lastRun ? `Last run: ${describeRun(state.lastRun)}` : 'The vendor guide as checks against your tenant. Not checked yet.'}
        actions={
          <>
            <Button icon={<ShieldCheckmarkRegular />} disabled={!settled} onClick={flow.verify} data-testid="verify">
              Verify (read-only)
            </Button>
            <Button
              icon={phase.kind === 'checkingServer' ? <Spinner size="extra-tiny" /> : <ServerRegular />}
              disabled={!settled}
              onClick={flow.checkServer}
              data-testid="check-server"
            >
              Check ICE Server
            </Button>
            {/* proof.token in one click; the result is recorded in the site, so the checklist is read again. */}
            <ProveSignIn siteId={siteId} disabled={!settled} onProved={flow.reload} />
            <Button appearance="primary" icon={<WrenchRegular />} disabled={!settled} onClick={flow.plan} data-testid="apply">
              Apply fixes
            </Button>
            {running?.run === 'apply' && (
              <Button icon={<DismissRegular />} onClick={flow.cancelRun}>
                Cancel
              </Button>
            )}
          </>
        }
      />
      {(phase.kind === 'planning' || phase.kind === 'confirming') && (
        <ConfirmApply
          siteName={nav.site.name}
          preview={phase.kind === 'confirming' ? phase.preview : null}
          onCancel={flow.dismiss}
          onConfirm={flow.apply}
        />
      )}
      {needsSignIn ? (
        <MessageBar intent="warning" style={{ marginBottom: 12 }}>
          <MessageBarBody>
            <MessageBarTitle>Sign in first</MessageBarTitle>
            {failure?.failure.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => nav.go('signin')}>Sign in</Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        failure && <ErrorBar error={failure.failure.message} title={FAILED_TITLE[failure.op]} />
      )}
      <ErrorBar error={linkError} title="Could not open the link" />
      {(running || state.progress.length > 0) && (
        <Section title={running ? (running.run === 'apply' ? 'Applying…' : 'Verifying…') : 'Last apply'}>
          {running?.deviceCode && <ConsentStepUp code={running.deviceCode} running={running.run} />}
          {running && !running.deviceCode && (
            <Spinner size="tiny" label={running.run === 'apply' ? 'Writing the changes the plan needs' : 'Reading the app registration'} />
          )}
          <ProgressList events={state.progress} />
        </Section>
      )}
      {(phase.kind === 'checkingServer' || state.serverHosts) && (
        <Section title="ICE Server /sso-meta" testId="sso-meta-section">
          {phase.kind === 'checkingServer' ? (
            <Spinner size="tiny" label="Reading https://<host>/sso-meta on every ICE host" />
          ) : (
            state.serverHosts && (
              <>
                <Text block size={200} style={{ color: tokens.colorNeutralForeground3, marginBottom: 8 }}>
                  What each ICE Server publishes, compared with the eight values of the last run. The result is saved in the site and goes into the next bundle.
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
          onAdopted={(r) =>
            setAdopted({
              siteId,
              text: `This site now works on "${r.displayName || '(no name)'}" (client id ${r.appId}). Apply fixes shows what it will write, starting with the assistant's tag.`,
            })
          }
        />
      )}
      <Section>
        {view ? (
          <>
            <StatusSummary steps={view.steps} />
            <ChecklistList steps={view.steps} resetKey={state.seq} onError={setLinkError} />
          </>
        ) : failure?.op === 'load' ? null : (
          <Spinner label="Loading…" />
        )}
        <Text block size={200} style={{ marginTop: 12, color: tokens.colorNeutralForeground3 }}>
          Step ids are stable: the CLI's --json output, saved sites and bundles use the same ones.
        </Text>
      </Section>
    </>
  );
}
