// Which public client the app signs in as for this site. The default, Microsoft Graph Command Line Tools, needs
// consent for each permission; where nobody at the customer can give it (the engineer is not an administrator and the
// administrator will not consent to Microsoft's tool), the administrator registers the organisation's own public
// client and the engineer names it here. Stored in the site (as `sites set --client-id` does from the CLI).
import { useState } from 'react';
import { Button, Field, Input, Text, tokens } from '@fluentui/react-components';
import type { SiteView } from '../../../../src-main/shared/ipc-contract';
import { isGuid } from '../../../../src-main/shared/ids';
import { invoke } from '../../api';
import { Section } from '../../components/Section';

export function SignInClient({ site, onSaved }: { site: SiteView; onSaved(site: SiteView): void }) {
  const current = site.signInClientId ?? '';
  const [value, setValue] = useState(current);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const typed = value.trim();
  const invalid = typed !== '' && !isGuid(typed) ? `"${typed.slice(0, 60)}" is not a client id: it is a GUID such as 00000000-0000-0000-0000-000000000000.` : '';

  const save = async (clientId: string | null) => {
    setError('');
    setNotice('');
    if (clientId !== null && !isGuid(clientId)) return setError(invalid || 'Paste the client id first.');
    setBusy(true);
    const r = await invoke('sites.setSignInClient', { id: site.id, clientId });
    setBusy(false);
    if (!r.ok) return setError(r.fields?.[0]?.message ?? r.message);
    setValue(r.site.signInClientId ?? '');
    setNotice(r.site.signInClientId ? `The next sign-in for this site uses client ${r.site.signInClientId}.` : 'The next sign-in for this site uses the default client.');
    onSaved(r.site);
  };

  return (
    <Section title="Sign-in client" testId="signin-client">
      <Text block size={200} style={{ marginBottom: tokens.spacingVerticalM, maxWidth: 720 }}>
        The app signs in as Microsoft Graph Command Line Tools unless this site names your organisation&apos;s own
        public client. Name one when the tenant&apos;s administrator registered it for this work, for example because
        the default client needs a consent nobody here can give.
      </Text>
      <div style={{ display: 'flex', alignItems: 'flex-start', flexWrap: 'wrap', gap: tokens.spacingHorizontalM }}>
        <Field
          label="Application (client) ID of the sign-in client"
          validationState={error || invalid ? 'error' : notice ? 'success' : 'none'}
          validationMessage={error || invalid || notice || undefined}
          hint={!error && !invalid && !notice ? (current ? undefined : 'Empty: the default client.') : undefined}
          style={{ flex: '1 1 320px', maxWidth: 480 }}
        >
          <Input
            value={value}
            placeholder="Microsoft Graph Command Line Tools (default)"
            onChange={(_e, d) => {
              setValue(d.value);
              setNotice('');
              setError('');
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && typed && !busy) void save(typed);
            }}
            data-testid="signin-client-id"
          />
        </Field>
        <div style={{ display: 'flex', gap: tokens.spacingHorizontalS, marginTop: 26 }}>
          <Button disabled={busy || !typed || typed.toLowerCase() === current} onClick={() => void save(typed)} data-testid="signin-client-save">
            Save
          </Button>
          {current && (
            <Button appearance="subtle" disabled={busy} onClick={() => void save(null)} data-testid="signin-client-default">
              Use the default client
            </Button>
          )}
        </div>
      </div>
    </Section>
  );
}
