import { useState } from 'react';
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text, Spinner } from '@fluentui/react-components';
import { DocumentSearchRegular, ArchiveRegular, DocumentRegular, BuildingRegular } from '@fluentui/react-icons';
import type { ReviewView } from '../../../../src-main/shared/ipc-contract';
import { errorOf, invoke } from '../../api';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { ChecklistList, StatusSummary } from '../checklist/ChecklistView';
import { ValuesList } from '../values/ValuesList';
import { TrustedKeys } from './TrustedKeys';
import { when } from '../../components/when';

const VERDICT_TITLE = {
  VALID: 'VALID: signed by a key you trust',
  UNTRUSTED: 'UNTRUSTED: intact, but signed by a key you have not trusted',
  INVALID: 'INVALID: do not use this bundle',
} as const;

function SignatureBar({ review }: { review: ReviewView }) {
  const s = review.signature;
  if (!s) return null;
  // Never green unless a trusted key signed it: UNTRUSTED is a warning, INVALID an error.
  const intent = s.verdict === 'VALID' ? 'success' : s.verdict === 'UNTRUSTED' ? 'warning' : 'error';
  return (
    <>
      <MessageBar intent={intent} layout="multiline" style={{ marginBottom: 12 }} data-testid="signature-status" data-verdict={s.verdict} data-valid={String(s.valid)}>
        <MessageBarBody>
          <MessageBarTitle>{VERDICT_TITLE[s.verdict]}</MessageBarTitle>
          {s.fingerprint && (
            <div>
              Key <Text font="monospace" weight="semibold" data-testid="signer-fingerprint">{s.fingerprint}</Text> (minisign key id <Text font="monospace">{s.keyId}</Text>)
            </div>
          )}
          {s.explanation.slice(1).map((l) => (
            <div key={l}>{l}</div>
          ))}
          {s.signedBy && (
            <div>
              Made by {s.signedBy}
              {s.signedAt ? `, ${when(s.signedAt)}` : ''}
            </div>
          )}
          {s.problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </MessageBarBody>
      </MessageBar>
      {s.complete === false && (
        <MessageBar intent="error" layout="multiline" style={{ marginBottom: 12 }} data-testid="incomplete">
          <MessageBarBody>
            <MessageBarTitle>INCOMPLETE</MessageBarTitle>
            {s.failing?.length ?? 0} step{s.failing?.length === 1 ? '' : 's'} failed when this bundle was made, and the engineer exported it anyway: <Text font="monospace">{(s.failing ?? []).join(', ')}</Text>. Single sign-on may not work until they are fixed.
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}

export function ReviewScreen() {
  const nav = useNav();
  const [review, setReview] = useState<ReviewView | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const withSite = (kind: 'bundle' | 'application' | 'site') => (nav.site ? { kind, siteId: nav.site.id } : { kind });
  const open = async (fn: () => ReturnType<typeof invoke<'review.openFile'>>) => {
    setError('');
    setBusy(true);
    try {
      const r = await fn();
      if (r.ok) setReview(r.review);
      else setError(errorOf(r));
    } finally {
      setBusy(false);
    }
  };

  const trustPanel = (
    <TrustedKeys
      onError={setError}
      {...(review?.signature?.fingerprint ? { signerFingerprint: review.signature.fingerprint } : {})}
      onChange={() => {
        if (review?.source !== 'bundle') return;
        void invoke('review.recheck', {}).then((r) => {
          if (r.ok) setReview(r.review);
          else setError(r.message);
        });
      }}
    />
  );

  return (
    <>
      <PageHeader
        title="Review offline"
        subtitle="A signed bundle, a saved site, or an app registration's JSON (the portal's Manifest download). No sign-in, no network."
        actions={
          <>
            <Button icon={<ArchiveRegular />} onClick={() => void open(() => invoke('review.openFile', withSite('bundle')))} data-testid="review-bundle">
              Open bundle…
            </Button>
            <Button icon={<DocumentRegular />} onClick={() => void open(() => invoke('review.openFile', withSite('application')))} data-testid="review-application">
              Open application JSON…
            </Button>
            <Button icon={<BuildingRegular />} onClick={() => void open(() => invoke('review.openFile', withSite('site')))} data-testid="review-site-file">
              Open site file…
            </Button>
            {nav.site && (
              <Button
                icon={<DocumentSearchRegular />}
                onClick={() => void open(() => invoke('review.site', { id: nav.site?.id ?? '' }))}
                data-testid="review-current-site"
              >
                Current site
              </Button>
            )}
          </>
        }
      />
      <ErrorBar error={error} title="Cannot review this file" />
      {busy && <Spinner label="Checking…" />}
      {review ? (
        <div data-testid="review">
          <Text block size={500} weight="semibold" style={{ marginBottom: 4 }}>
            {review.title}
          </Text>
          <Text block size={200} font="monospace" style={{ marginBottom: 12 }}>
            {review.file}
          </Text>
          <SignatureBar review={review} />
          {review.source === 'bundle' && trustPanel}
          <Section title="ICE values">
            {review.signature && review.signature.verdict !== 'VALID' && (
              <MessageBar intent="warning" style={{ marginBottom: 8 }} data-testid="values-warning">
                <MessageBarBody>
                  {review.signature.verdict === 'INVALID'
                    ? 'Do not type these into ICE Desktop: the bundle failed verification, so they may have been changed.'
                    : 'Do not type these into ICE Desktop yet: anyone could have made this bundle. Check the fingerprint with the engineer and trust their key first.'}
                </MessageBarBody>
              </MessageBar>
            )}
            <ValuesList values={review.checklist.values} untrusted={!!review.signature && review.signature.verdict !== 'VALID'} />
          </Section>
          <Section title="Checklist">
            <StatusSummary steps={review.checklist.steps} />
            <ChecklistList steps={review.checklist.steps} onError={setError} />
          </Section>
        </div>
      ) : (
        !busy && (
          <Section>
            <Text>Nothing open. Choose a file above.</Text>
          </Section>
        )
      )}
      {review?.source !== 'bundle' && trustPanel}
    </>
  );
}
