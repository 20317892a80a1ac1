import { useState } from 'react';
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
  Radio,
  RadioGroup,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { CandidateView, RegistrationView } from '../../../../src-main/shared/ipc-contract';
import { invoke } from '../../api';
import { Section } from '../../components/Section';
import { day } from '../../components/when';

const PASTE = '__paste__';

function when(iso: string | null): string {
  return iso ? day(iso) : 'unknown';
}

/**
 * "Use an existing registration": the customer's admin often made ICE's registration by hand in the portal. When a
 * verify finds ones that look like ICE's, pick one (or paste a client id); a confirmation names the app (display name,
 * client id, created) before the site works on it. Apply then adds the assistant's tag first, so later runs know it.
 */
export function ExistingRegistrations({ siteId, candidates, onAdopted }: { siteId: string; candidates: CandidateView[]; onAdopted(r: RegistrationView): void }) {
  const [choice, setChoice] = useState(candidates[0]?.appId ?? PASTE);
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [confirm, setConfirm] = useState<RegistrationView | null>(null);
  const appId = choice === PASTE ? pasted.trim() : choice;

  const lookUp = async () => {
    setError('');
    setBusy(true);
    try {
      const r = await invoke('live.lookupApp', { siteId, appId });
      if (!r.ok) return setError(r.message);
      setConfirm(r.registration);
    } finally {
      setBusy(false);
    }
  };
  const adopt = async () => {
    if (!confirm) return;
    setBusy(true);
    try {
      const r = await invoke('live.adopt', { siteId, appId: confirm.appId });
      setConfirm(null);
      if (!r.ok) return setError(r.message);
      onAdopted(r.registration);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title="Use an existing registration" testId="existing-registrations">
      <Text block style={{ marginBottom: 8 }}>
        No registration made by this assistant was found, but {candidates.length === 1 ? 'this one looks' : 'these look'} like ICE&apos;s. If
        one is the registration your customer made for ICE, use it: the assistant then repairs it instead of creating a second one.
      </Text>
      <RadioGroup value={choice} onChange={(_e, d) => setChoice(d.value)} data-testid="candidate-list">
        {candidates.map((c) => (
          <Radio
            key={c.appId}
            value={c.appId}
            data-testid="candidate"
            data-app-id={c.appId}
            label={
              <span>
                <b>&quot;{c.displayName || '(no name)'}&quot;</b> (client id {c.appId}), created {when(c.createdDateTime)}
                <Text block size={200} style={{ color: tokens.colorNeutralForeground3 }}>
                  Has {c.details.join(', ')}
                </Text>
              </span>
            }
          />
        ))}
        <Radio value={PASTE} label="Another registration: paste its Application (client) ID" data-testid="candidate-paste" />
      </RadioGroup>
      {choice === PASTE && (
        <Field label="Application (client) ID" style={{ maxWidth: 420, marginTop: 4 }} validationMessage={error || undefined}>
          <Input value={pasted} onChange={(_e, d) => setPasted(d.value)} placeholder="00000000-0000-0000-0000-000000000000" data-testid="paste-client-id" />
        </Field>
      )}
      {error && choice !== PASTE && (
        <Text block style={{ color: tokens.colorPaletteRedForeground1, marginTop: 4 }} data-testid="existing-error">
          {error}
        </Text>
      )}
      <Button appearance="primary" style={{ marginTop: 8 }} disabled={busy || !appId} onClick={() => void lookUp()} data-testid="use-registration">
        {busy && !confirm ? <Spinner size="extra-tiny" /> : 'Use this registration'}
      </Button>
      {confirm && (
        <Dialog open onOpenChange={(_e, d) => !d.open && setConfirm(null)}>
          <DialogSurface data-testid="confirm-adopt-dialog">
            <DialogBody>
              <DialogTitle>Work on &quot;{confirm.displayName || '(no name)'}&quot;?</DialogTitle>
              <DialogContent>
                <Text block>
                  App registration <b>&quot;{confirm.displayName || '(no name)'}&quot;</b>, client id <b>{confirm.appId}</b>, created{' '}
                  {when(confirm.createdDateTime)}.
                </Text>
                <Text block style={{ marginTop: 8 }}>
                  {confirm.ours
                    ? 'ICE SSO Assistant already manages it.'
                    : 'ICE SSO Assistant did not make it. Apply fixes will first add its tag "ice-sso-assistant" (so later runs recognise it), then change only what the ICE guide asks. You see every write before anything is sent.'}
                </Text>
              </DialogContent>
              <DialogActions>
                <Button onClick={() => setConfirm(null)} data-testid="cancel-adopt">
                  Cancel
                </Button>
                <Button appearance="primary" onClick={() => void adopt()} data-testid="confirm-adopt">
                  Use &quot;{confirm.displayName || confirm.appId}&quot;
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </Section>
  );
}
