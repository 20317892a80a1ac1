import { useEffect, useState } from 'react';
import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { SaveRegular, AddRegular } from '@fluentui/react-icons';
import type { FieldError, HostPreview, SettingsDraft } from '../../../../src-main/shared/ipc-contract';
import { GROUP_TYPES, SIGN_IN_AUDIENCES } from '../../../../src-main/shared/catalog';
import { invoke } from '../../api';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { HostsEditor } from './HostsEditor';
import { messagesFor, unplaced } from './fieldErrors';

const AUDIENCE_LABELS: Record<string, string> = {
  AzureADMyOrg: 'Accounts in this organizational directory only (single tenant)',
  AzureADMultipleOrgs: 'Accounts in any organizational directory (multitenant)',
  AzureADandPersonalMicrosoftAccount: 'Accounts in any organizational directory and personal Microsoft accounts',
  PersonalMicrosoftAccount: 'Personal Microsoft accounts only',
};

const GROUP_LABELS: Record<string, string> = {
  SecurityGroup: 'Security groups (and directory roles)',
  DirectoryRole: 'Directory roles',
  ApplicationGroup: 'Groups assigned to the application',
  All: 'All groups (includes distribution lists)',
};

const CLOUD_LABELS: Record<SettingsDraft['cloud']['name'], string> = {
  global: 'Azure (global)',
  usgov: 'Azure US Government',
  china: 'Azure China (21Vianet)',
  custom: 'Custom cloud (login and Graph URLs)',
};

const TEXT_FIELDS = [
  ['adminConsentDisplayName', 'Admin consent display name', false],
  ['adminConsentDescription', 'Admin consent description', true],
  ['userConsentDisplayName', 'User consent display name', false],
  ['userConsentDescription', 'User consent description', true],
] as const;

const FORM_FIELDS = ['displayName', 'signInAudience', 'hosts', 'scopeValue', 'consent', 'groupTypes', 'consentTexts', 'cloud', 'loginUrl', 'graphUrl', 'portalUrl', 'name', 'tenant'] as const;

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(280px, 1fr) minmax(280px, 1fr)',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalL,
    alignItems: 'start',
  },
  full: { gridColumn: '1 / -1' },
  footer: {
    position: 'sticky',
    bottom: 0,
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} 0`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

export function SetupScreen() {
  const styles = useStyles();
  const nav = useNav();
  const isNew = nav.site === null;
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [name, setName] = useState('');
  const [tenant, setTenant] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [preview, setPreview] = useState<HostPreview[]>([]);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    if (nav.site) {
      void invoke('sites.open', { id: nav.site.id }).then((r) => {
        if (!live) return;
        if (r.ok) {
          setDraft(r.site.draft);
          setName(r.site.name);
          setTenant(r.site.tenant ?? '');
        } else setBanner({ intent: 'error', text: r.message });
      });
    } else {
      void invoke('settings.defaults', {}).then((r) => live && r.ok && setDraft(r.draft));
    }
    return () => {
      live = false;
    };
  }, [nav.site]);

  // Validate as the user types (debounced): the normalised host preview, and the errors once shown.
  useEffect(() => {
    if (!draft) return;
    let live = true;
    const t = setTimeout(() => {
      void invoke('settings.validate', { draft }).then((r) => {
        if (!live || !r.ok) return;
        setPreview(r.hostsPreview);
        setErrors(r.valid ? [] : r.errors);
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [draft]);

  if (!draft) return <Spinner label="Loading settings…" />;

  const set = <K extends keyof SettingsDraft>(k: K, v: SettingsDraft[K]) => setDraft({ ...draft, [k]: v });
  const err = (field: string, children = false) => (showErrors ? messagesFor(errors, field, { children }) : '');
  const fieldProps = (field: string, children = false) => {
    const m = err(field, children);
    return { validationMessage: m || undefined, validationState: m ? ('error' as const) : ('none' as const) };
  };

  const submit = async () => {
    setShowErrors(true);
    setBanner(null);
    setBusy(true);
    try {
      if (isNew) {
        const r = await invoke('sites.create', { name, draft, tenant });
        if (!r.ok) {
          setErrors(r.fields ?? [{ field: 'name', message: r.message }]);
          setBanner({ intent: 'error', text: r.message });
          return;
        }
        nav.openSite({ id: r.site.id, name: r.site.name }, 'setup');
        setBanner({ intent: 'success', text: `Site "${r.site.name}" created.` });
      } else if (nav.site) {
        const r = await invoke('sites.save', { id: nav.site.id, draft, tenant });
        if (!r.ok) {
          setErrors(r.fields ?? []);
          setBanner({ intent: 'error', text: r.message });
          return;
        }
        setBanner({ intent: 'success', text: 'Settings saved.' });
      }
    } finally {
      setBusy(false);
    }
  };

  const stray = showErrors ? unplaced(errors, FORM_FIELDS) : [];

  return (
    <>
      <PageHeader
        title={isNew ? 'New site' : 'Setup'}
        subtitle="What the guide asks you to choose when you register the app. Checked as you type; nothing is sent to Entra ID from here."
      />
      {banner && (
        <MessageBar intent={banner.intent} layout="multiline" style={{ marginBottom: 12 }} data-testid={`setup-${banner.intent}`}>
          <MessageBarBody>
            {banner.intent === 'error' && <MessageBarTitle>Not saved</MessageBarTitle>}
            {banner.text}
            {stray.map((e) => (
              <div key={e.field}>
                {e.field}: {e.message}
              </div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      <Section title="Site">
        <div className={styles.grid}>
          <Field label="Site name" required hint="For you: e.g. the customer and data centre." {...(isNew ? fieldProps('name') : {})}>
            <Input value={name} disabled={!isNew} onChange={(_e, d) => setName(d.value)} data-testid="site-name" />
          </Field>
          <Field label="Tenant" hint="Directory (tenant) ID or a verified domain, e.g. contoso.onmicrosoft.com." {...fieldProps('tenant')}>
            <Input value={tenant} onChange={(_e, d) => setTenant(d.value)} data-testid="tenant" />
          </Field>
          <Field label="Cloud" {...fieldProps('cloud')}>
            <Dropdown
              value={CLOUD_LABELS[draft.cloud.name]}
              selectedOptions={[draft.cloud.name]}
              onOptionSelect={(_e, d) => set('cloud', { ...draft.cloud, name: d.optionValue as SettingsDraft['cloud']['name'] })}
            >
              {Object.entries(CLOUD_LABELS).map(([k, label]) => (
                <Option key={k} value={k}>
                  {label}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {draft.cloud.name === 'custom' && (
            <>
              <Field label="Login URL" required {...fieldProps('loginUrl')}>
                <Input value={draft.cloud.loginUrl ?? ''} onChange={(_e, d) => set('cloud', { ...draft.cloud, loginUrl: d.value })} />
              </Field>
              <Field label="Microsoft Graph URL" required {...fieldProps('graphUrl')}>
                <Input value={draft.cloud.graphUrl ?? ''} onChange={(_e, d) => set('cloud', { ...draft.cloud, graphUrl: d.value })} />
              </Field>
              <Field label="Portal URL" hint="Only for the portal links." {...fieldProps('portalUrl')}>
                <Input value={draft.cloud.portalUrl ?? ''} onChange={(_e, d) => set('cloud', { ...draft.cloud, portalUrl: d.value })} />
              </Field>
            </>
          )}
        </div>
      </Section>
      <Section title="Register an application (guide steps 3–5)">
        <div className={styles.grid}>
          <Field label="Name" required hint="Only labels the app registration in the portal." {...fieldProps('displayName')}>
            <Input value={draft.displayName} onChange={(_e, d) => set('displayName', d.value)} data-testid="display-name" />
          </Field>
          <Field label="Supported account types" {...fieldProps('signInAudience')}>
            <RadioGroup value={draft.signInAudience} onChange={(_e, d) => set('signInAudience', d.value)}>
              {SIGN_IN_AUDIENCES.map((a) => (
                <Radio key={a} value={a} label={AUDIENCE_LABELS[a] ?? a} />
              ))}
            </RadioGroup>
          </Field>
          <div className={styles.full}>
            <HostsEditor hosts={draft.hosts} preview={preview} errors={errors} showErrors={showErrors} onChange={(h) => set('hosts', h)} />
          </div>
        </div>
      </Section>
      <Section title="Expose an API (guide step 6)">
        <div className={styles.grid}>
          <Field label="Scope name" required hint="ICE's Scope becomes <Application ID URI>/<scope name>." {...fieldProps('scopeValue')}>
            <Input value={draft.scopeValue} onChange={(_e, d) => set('scopeValue', d.value)} data-testid="scope-value" />
          </Field>
          <Field label="Who can consent?" {...fieldProps('consent')}>
            <RadioGroup layout="horizontal" value={draft.consent} onChange={(_e, d) => set('consent', d.value === 'admins' ? 'admins' : 'users')}>
              <Radio value="users" label="Admins and users" />
              <Radio value="admins" label="Admins only" />
            </RadioGroup>
          </Field>
          {TEXT_FIELDS.map(([key, label, long]) => (
            <Field key={key} label={label} required {...fieldProps(`consentTexts.${key}`)}>
              {long ? (
                <Textarea
                  value={draft.consentTexts[key]}
                  resize="vertical"
                  onChange={(_e, d) => set('consentTexts', { ...draft.consentTexts, [key]: d.value })}
                />
              ) : (
                <Input value={draft.consentTexts[key]} onChange={(_e, d) => set('consentTexts', { ...draft.consentTexts, [key]: d.value })} />
              )}
            </Field>
          ))}
        </div>
      </Section>
      <Section title="Token configuration (guide step 8)">
        <Field label="Group types in the groups claim" hint="Groups map users to ICE channels." {...fieldProps('groupTypes', true)}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            {GROUP_TYPES.map((g) => (
              <Checkbox
                key={g}
                label={GROUP_LABELS[g] ?? g}
                checked={draft.groupTypes.includes(g)}
                onChange={(_e, d) =>
                  set('groupTypes', d.checked ? [...draft.groupTypes, g] : draft.groupTypes.filter((x) => x !== g))
                }
              />
            ))}
          </div>
        </Field>
      </Section>
      <div className={styles.footer}>
        <Button
          appearance="primary"
          icon={isNew ? <AddRegular /> : <SaveRegular />}
          onClick={() => void submit()}
          disabled={busy}
          data-testid="save-settings"
        >
          {isNew ? 'Create site' : 'Save'}
        </Button>
        <Button onClick={() => nav.go(isNew ? 'sites' : 'checklist')}>{isNew ? 'Cancel' : 'Go to checklist'}</Button>
      </div>
    </>
  );
}
