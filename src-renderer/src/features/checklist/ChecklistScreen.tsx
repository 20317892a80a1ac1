import { useEffect, useRef, useState } from 'react';
import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  MessageBarActions,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ShieldCheckmarkRegular, WrenchRegular, DismissRegular, ServerRegular } from '@fluentui/react-icons';
import type { ApplyPreviewView, ChecklistView, DeviceCodeEvent, ProgressEvent, SsoMetaHostReport } from '../../../../src-main/shared/ipc-contract';
import { invoke, onEvent } from '../../api';
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

export function ChecklistScreen() {
  const nav = useNav();
  const [view, setView] = useState<ChecklistView | null>(null);
  const [lastRun, setLastRun] = useState('');
  const [error, setError] = useState('');
  const [errorTitle, setErrorTitle] = useState('');
  const [needsSignIn, setNeedsSignIn] = useState(false);
  const [running, setRunning] = useState<'verify' | 'apply' | null>(null);
  const [progress, setProgress] = useState<ProgressEvent[]>([]);
  const runId = useRef('');
  const [code, setCode] = useState<DeviceCodeEvent | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [preview, setPreview] = useState<ApplyPreviewView | null>(null);
  const [checking, setChecking] = useState(false);
  const [serverHosts, setServerHosts] = useState<SsoMetaHostReport[] | null>(null);
  /** The registration this site was pointed at in this session (by site id, so another site shows its own). */
  const [adoptedFor, setAdopted] = useState<{ siteId: string; text: string } | null>(null);
  useEffect(() => onEvent('auth.deviceCode', setCode), []);

  useEffect(() => {
    if (!nav.site) return;
    let live = true;
    void invoke('sites.open', { id: nav.site.id }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setView(r.checklist);
      setLastRun(r.site.lastRun ? `${r.site.lastRun.kind} on ${new Date(r.site.lastRun.at).toLocaleString()} by ${r.site.lastRun.by}` : '');
    });
    return () => {
      live = false;
    };
  }, [nav.site]);

  useEffect(
    () =>
      onEvent('live.progress', (e) => {
        if (e.runId === runId.current) setProgress((p) => [...p, e]);
      }),
    [],
  );

  if (!nav.site) return null;
  const siteId = nav.site.id;
  const adopted = adoptedFor?.siteId === siteId ? adoptedFor.text : '';

  const fail = (title: string, message: string) => {
    setErrorTitle(title);
    setError(message);
    if (/^Not signed in/.test(message)) setNeedsSignIn(true);
  };

  /** "Apply fixes": read and plan first (nothing written), then ask with the list of writes. */
  const askApply = async () => {
    setError('');
    setErrorTitle('');
    setNeedsSignIn(false);
    setPreview(null);
    setConfirming(true);
    const r = await invoke('live.preview', { siteId });
    if (!r.ok) {
      setConfirming(false);
      fail('Could not plan the changes', r.error);
      return;
    }
    setPreview(r.preview);
  };

  const checkServer = async () => {
    setError('');
    setErrorTitle('');
    setNeedsSignIn(false);
    setChecking(true);
    try {
      const r = await invoke('server.checkSsoMeta', { siteId });
      if (!r.ok) return fail('ICE Server not checked', r.error);
      setServerHosts(r.hosts);
      setView(r.checklist);
      setLastRun(`${r.run.kind} on ${new Date(r.run.at).toLocaleString()} by ${r.run.by}`);
    } finally {
      setChecking(false);
    }
  };

  const run = async (kind: 'verify' | 'apply') => {
    setError('');
    setErrorTitle('');
    setNeedsSignIn(false);
    setRunning(kind);
    setProgress([]);
    runId.current = `${kind}-${Date.now()}`;
    try {
      const r = kind === 'verify' ? await invoke('live.verify', { siteId }) : await invoke('live.apply', { siteId, runId: runId.current });
      if (!r.ok) {
        setErrorTitle(kind === 'apply' ? 'Apply did not finish' : 'Verify did not finish');
        setError(r.error);
        if (/^Not signed in/.test(r.error)) setNeedsSignIn(true);
        return;
      }
      setView(r.checklist);
      setLastRun(`${r.run.kind} on ${new Date(r.run.at).toLocaleString()} by ${r.run.by}`);
    } finally {
      setRunning(null);
      setCode(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Checklist"
        subtitle={lastRun ? `Last run: ${lastRun}` : 'The vendor guide as checks against your tenant. Not checked yet.'}
        actions={
          <>
            <Button icon={<ShieldCheckmarkRegular />} disabled={!!running} onClick={() => void run('verify')} data-testid="verify">
              Verify (read-only)
            </Button>
            <Button icon={checking ? <Spinner size="extra-tiny" /> : <ServerRegular />} disabled={!!running || checking} onClick={() => void checkServer()} data-testid="check-server">
              Check ICE Server
            </Button>
            <Button appearance="primary" icon={<WrenchRegular />} disabled={!!running || confirming} onClick={() => void askApply()} data-testid="apply">
              Apply fixes
            </Button>
            {running === 'apply' && (
              <Button icon={<DismissRegular />} onClick={() => void invoke('live.cancel', { runId: runId.current })}>
                Cancel
              </Button>
            )}
          </>
        }
      />
      {confirming && (
        <ConfirmApply
          siteName={nav.site.name}
          preview={preview}
          onCancel={() => {
            setConfirming(false);
            setPreview(null);
          }}
          onConfirm={() => {
            setConfirming(false);
            setPreview(null);
            void run('apply');
          }}
        />
      )}
      {needsSignIn ? (
        <MessageBar intent="warning" style={{ marginBottom: 12 }}>
          <MessageBarBody>
            <MessageBarTitle>Sign in first</MessageBarTitle>
            {error}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => nav.go('signin')}>Sign in</Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        <ErrorBar error={error} {...(errorTitle ? { title: errorTitle } : {})} />
      )}
      {(running || progress.length > 0) && (
        <Section title={running ? (running === 'apply' ? 'Applying…' : 'Verifying…') : 'Last apply'}>
          {running && code && <ConsentStepUp code={code} running={running} />}
          {running && !code && (
            <Spinner size="tiny" label={running === 'apply' ? 'Writing the changes the plan needs' : 'Reading the app registration'} />
          )}
          <ProgressList events={progress} />
        </Section>
      )}
      {(checking || serverHosts) && (
        <Section title="ICE Server /sso-meta" testId="sso-meta-section">
          {checking ? (
            <Spinner size="tiny" label="Reading https://<host>/sso-meta on every ICE host" />
          ) : (
            serverHosts && (
              <>
                <Text block size={200} style={{ color: tokens.colorNeutralForeground3, marginBottom: 8 }}>
                  What each ICE Server publishes, compared with the eight values of the last run. The result is saved in the site and goes into the next bundle.
                </Text>
                {serverHosts.length ? <SsoMetaResults hosts={serverHosts} /> : <Text block>{view?.steps.find((s) => s.id === 'server.sso-meta')?.found}</Text>}
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
            <ChecklistList steps={view.steps} onError={setError} />
          </>
        ) : (
          <Spinner label="Loading…" />
        )}
        <Text block size={200} style={{ marginTop: 12, color: tokens.colorNeutralForeground3 }}>
          Step ids are stable: the CLI's --json output, saved sites and bundles use the same ones.
        </Text>
      </Section>
    </>
  );
}
