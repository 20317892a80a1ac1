import { useState } from 'react';
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Persona,
} from '@fluentui/react-components';
import { PersonKeyRegular, SignOutRegular, ArrowRightRegular } from '@fluentui/react-icons';
import type { AccountView, CloudView, DeviceCodeEvent, SecretStorageStatus } from '../../../../src-main/shared/ipc-contract';
import { invoke, type Failure } from '../../api';
import { useIpc } from '../../ipc/useIpc';
import { useEvents } from '../../ipc/events';
import { useVisit } from '../../app/visit';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { DeviceCodePanel } from './DeviceCodePanel';
import { CloudHostsLine, ConfirmCloudDialog } from './CloudHosts';
import { SignInClient } from './SignInClient';

export function SignInScreen() {
  const nav = useNav();
  const events = useEvents();
  const visit = useVisit();
  const [tenant, setTenant] = useState('');
  const [method, setMethod] = useState<'device-code' | 'browser'>('device-code');
  const status = useIpc('auth.status', {});
  const site = useIpc('sites.open', nav.site ? { id: nav.site.id } : null);
  const cloudInfo = useIpc('auth.cloud', nav.site ? { siteId: nav.site.id } : null);
  // The account as this screen last learned it (sign-in, sign-out), else as main reported it.
  const [changed, setAccount] = useState<{ account: AccountView | null } | null>(null);
  const account = changed ? changed.account : (status.value?.account ?? null);
  const storage: SecretStorageStatus | null = status.value?.secretStorage ?? null;
  const cloud: CloudView | null = cloudInfo.value?.cloud ?? null;
  const [code, setCode] = useState<DeviceCodeEvent | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [confirmCloud, setConfirmCloud] = useState<CloudView | null>(null);

  // The tenant field starts as the site's tenant (once it is read), then is the user's.
  const [seeded, setSeeded] = useState('');
  if (site.value && seeded !== site.value.site.id) {
    setSeeded(site.value.site.id);
    setTenant(site.value.site.tenant ?? '');
  }

  if (!nav.site) return null;
  const siteId = nav.site.id;

  const signIn = async (trustCloud = false) => {
    setError('');
    setFailure(null);
    setBusy(true);
    setCode(null);
    // This screen owns the device code while its sign-in runs (main's events are routed by the App).
    const release = events.ownSignIn(setCode);
    try {
      const r = await invoke('auth.signIn', { siteId, method, tenant, ...(trustCloud ? { trustCloud } : {}) });
      if (r.ok) {
        setAccount({ account: r.account });
        visit.refresh();
      } else if (r.code === 'cloud.untrusted') {
        // Nothing was sent: show the hosts and ask (auth.cloud names them).
        const c = await invoke('auth.cloud', { siteId });
        if (c.ok) setConfirmCloud(c.cloud);
        else setError(r.message);
      } else if (r.code !== 'cancelled') {
        setError(r.message);
        setFailure(r);
      }
      if (trustCloud || r.ok) cloudInfo.reload();
    } finally {
      release();
      setBusy(false);
      setCode(null);
    }
  };

  return (
    <>
      <PageHeader title="Sign in" subtitle="Sign in to the customer's tenant as an Application Administrator or Cloud Application Administrator." />
      {storage && !storage.persistent && (
        <MessageBar intent="warning" layout="multiline" style={{ marginBottom: 12 }} data-testid="storage-warning">
          <MessageBarBody>
            <MessageBarTitle>Sign-ins are not kept after you close the app</MessageBarTitle>
            {storage.reason}
          </MessageBarBody>
        </MessageBar>
      )}
      <ErrorBar error={error} failure={failure} {...(failure ? { code: failure.code } : {})} title="Sign-in failed" />
      {account ? (
        <Section title="Signed in">
          <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 16 }}>
            <Persona name={account.name ?? account.username} secondaryText={account.username} tertiaryText={`Tenant ${account.tenantId}`} size="large" />
            <Button
              icon={<SignOutRegular />}
              onClick={() =>
                void invoke('auth.signOut', {}).then(() => {
                  setAccount({ account: null });
                  visit.refresh();
                })
              }
            >
              Sign out
            </Button>
            <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" onClick={() => nav.go('checklist')}>
              Go to checklist
            </Button>
          </div>
        </Section>
      ) : (
        <Section title={code ? 'Enter the code' : 'Tenant'}>
          {/* While a code is shown, it replaces the form: it must be above the fold, even at 1024×640. */}
          {!code && (
            <div style={{ display: 'grid', gridTemplateColumns: 'minmax(240px, 480px)', rowGap: 16 }}>
              <Field label="Tenant" required hint="Directory (tenant) ID or a verified domain, e.g. contoso.onmicrosoft.com.">
                <Input
                  value={tenant}
                  onChange={(_e, d) => setTenant(d.value)}
                  onKeyDown={(e) => e.key === 'Enter' && !busy && void signIn()}
                  data-testid="signin-tenant"
                />
              </Field>
              {cloud && <CloudHostsLine cloud={cloud} />}
              <Field label="How to sign in">
                <RadioGroup value={method} onChange={(_e, d) => setMethod(d.value === 'browser' ? 'browser' : 'device-code')}>
                  <Radio value="device-code" label="Device code (sign in on any device, e.g. a phone)" />
                  <Radio value="browser" label="System browser on this computer" />
                </RadioGroup>
              </Field>
              <div>
                <Button appearance="primary" icon={<PersonKeyRegular />} disabled={busy} onClick={() => void signIn()} data-testid="signin">
                  Sign in
                </Button>
              </div>
            </div>
          )}
          {busy && !code && <Spinner size="small" label={method === 'browser' ? 'Waiting for the browser…' : 'Asking for a code…'} />}
          {code && <DeviceCodePanel code={code} onCancel={() => void invoke('auth.cancel', {})} />}
          {confirmCloud && (
            <ConfirmCloudDialog
              cloud={confirmCloud}
              onCancel={() => setConfirmCloud(null)}
              onTrust={() => {
                setConfirmCloud(null);
                void signIn(true);
              }}
            />
          )}
          {busy && method === 'browser' && (
            <Button onClick={() => void invoke('auth.cancel', {})} style={{ marginTop: 8 }}>
              Cancel sign-in
            </Button>
          )}
          <Text block size={200} style={{ marginTop: 16 }}>
            Tokens stay in the app's main process; this window never sees them.
          </Text>
        </Section>
      )}
      {site.value && !code && (
        <SignInClient
          key={site.value.site.id}
          site={site.value.site}
          onSaved={() => {
            site.reload();
            // A failure of the client before is not this one's.
            setError('');
            setFailure(null);
          }}
        />
      )}
    </>
  );
}
