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

function SignatureBar({ review }: { review: ReviewView }) {
  const s = review.signature;
  if (!s) return null;
  return (
    <MessageBar intent={s.valid ? 'success' : 'error'} layout="multiline" style={{ marginBottom: 12 }} data-testid="signature-status" data-valid={String(s.valid)}>
      <MessageBarBody>
        <MessageBarTitle>
          {s.valid ? (s.trust === 'self-signed' ? `Signature valid (self-signed, fingerprint ${s.fingerprint ?? '?'})` : `Signature valid (trusted key ${s.fingerprint ?? ''})`) : 'Signature NOT valid'}
        </MessageBarTitle>
        {s.signedBy && <div>Made by {s.signedBy}{s.signedAt ? `, ${new Date(s.signedAt).toLocaleString()}` : ''}</div>}
        {s.problems.map((p) => (
          <div key={p}>{p}</div>
        ))}
      </MessageBarBody>
    </MessageBar>
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
          <Section title="ICE values">
            {review.signature && !review.signature.valid && (
              <MessageBar intent="warning" style={{ marginBottom: 8 }}>
                <MessageBarBody>Do not type these into ICE Desktop: the bundle failed verification, so they may have been changed.</MessageBarBody>
              </MessageBar>
            )}
            <ValuesList values={review.checklist.values} untrusted={!!review.signature && !review.signature.valid} />
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
    </>
  );
}
