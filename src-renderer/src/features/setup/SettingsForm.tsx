// The site's settings as the guide asks for them (presentational: the container holds the draft).
import { Checkbox, Dropdown, Field, Input, Option, Radio, RadioGroup, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { HostPreview, SettingsDraft } from '../../../../src-main/shared/ipc-contract';
import { GROUP_TYPES, SIGN_IN_AUDIENCES } from '../../../../src-main/shared/catalog';
import { Section } from '../../components/Section';
import { HostsEditor } from './HostsEditor';
import type { FieldErrors } from './useFieldErrors';

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

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalL,
    alignItems: 'start',
  },
  full: { gridColumn: '1 / -1' },
});

export interface SettingsFormProps {
  isNew: boolean;
  name: string;
  tenant: string;
  draft: SettingsDraft;
  preview: HostPreview[];
  errors: FieldErrors;
  onName(name: string): void;
  onTenant(tenant: string): void;
  onDraft<K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]): void;
}

export function SettingsForm({ isNew, name, tenant, draft, preview, errors, onName, onTenant, onDraft }: SettingsFormProps) {
  const styles = useStyles();
  const cloud = (patch: Partial<SettingsDraft['cloud']>) => onDraft('cloud', { ...draft.cloud, ...patch });
  return (
    <>
      <Section title="Site">
        <div className={styles.grid}>
          <Field label="Site name" required hint="For you: e.g. the customer and data centre." {...(isNew ? errors.props('name') : {})}>
            <Input value={name} disabled={!isNew} onChange={(_e, d) => onName(d.value)} data-testid="site-name" />
          </Field>
          <Field label="Tenant" hint="Directory (tenant) ID or a verified domain, e.g. contoso.onmicrosoft.com." {...errors.props('tenant')}>
            <Input value={tenant} onChange={(_e, d) => onTenant(d.value)} data-testid="tenant" />
          </Field>
          <Field label="Cloud" {...errors.props('cloud')}>
            <Dropdown
              value={CLOUD_LABELS[draft.cloud.name]}
              selectedOptions={[draft.cloud.name]}
              onOptionSelect={(_e, d) => cloud({ name: d.optionValue as SettingsDraft['cloud']['name'] })}
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
              <Field label="Login URL" required {...errors.props('loginUrl')}>
                <Input value={draft.cloud.loginUrl ?? ''} onChange={(_e, d) => cloud({ loginUrl: d.value })} />
              </Field>
              <Field label="Microsoft Graph URL" required {...errors.props('graphUrl')}>
                <Input value={draft.cloud.graphUrl ?? ''} onChange={(_e, d) => cloud({ graphUrl: d.value })} />
              </Field>
              <Field label="Portal URL" hint="Only for the portal links." {...errors.props('portalUrl')}>
                <Input value={draft.cloud.portalUrl ?? ''} onChange={(_e, d) => cloud({ portalUrl: d.value })} />
              </Field>
            </>
          )}
        </div>
      </Section>
      <Section title="Register an application (guide steps 3–5)">
        <div className={styles.grid}>
          <Field label="Name" required hint="Only labels the app registration in the portal." {...errors.props('displayName')}>
            <Input value={draft.displayName} onChange={(_e, d) => onDraft('displayName', d.value)} data-testid="display-name" />
          </Field>
          <Field label="Supported account types" {...errors.props('signInAudience')}>
            <RadioGroup value={draft.signInAudience} onChange={(_e, d) => onDraft('signInAudience', d.value)}>
              {SIGN_IN_AUDIENCES.map((a) => (
                <Radio key={a} value={a} label={AUDIENCE_LABELS[a] ?? a} />
              ))}
            </RadioGroup>
          </Field>
          <div className={styles.full}>
            <HostsEditor hosts={draft.hosts} preview={preview} errors={errors.list} showErrors={errors.visible('hosts')} onChange={(h) => onDraft('hosts', h)} />
          </div>
        </div>
      </Section>
      <Section title="Expose an API (guide step 6)">
        <div className={styles.grid}>
          <Field label="Scope name" required hint="ICE's Scope becomes <Application ID URI>/<scope name>." {...errors.props('scopeValue')}>
            <Input value={draft.scopeValue} onChange={(_e, d) => onDraft('scopeValue', d.value)} data-testid="scope-value" />
          </Field>
          <Field label="Who can consent?" {...errors.props('consent')}>
            <RadioGroup layout="horizontal" value={draft.consent} onChange={(_e, d) => onDraft('consent', d.value === 'admins' ? 'admins' : 'users')}>
              <Radio value="users" label="Admins and users" />
              <Radio value="admins" label="Admins only" />
            </RadioGroup>
          </Field>
          {TEXT_FIELDS.map(([key, label, long]) => (
            <Field key={key} label={label} required {...errors.props(`consentTexts.${key}`)}>
              {long ? (
                <Textarea value={draft.consentTexts[key]} resize="vertical" onChange={(_e, d) => onDraft('consentTexts', { ...draft.consentTexts, [key]: d.value })} />
              ) : (
                <Input value={draft.consentTexts[key]} onChange={(_e, d) => onDraft('consentTexts', { ...draft.consentTexts, [key]: d.value })} />
              )}
            </Field>
          ))}
        </div>
      </Section>
      <Section title="Token configuration (guide step 8)">
        <Field label="Group types in the groups claim" hint="Groups map users to ICE channels." {...errors.props('groupTypes', true)}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            {GROUP_TYPES.map((g) => (
              <Checkbox
                key={g}
                label={GROUP_LABELS[g] ?? g}
                checked={draft.groupTypes.includes(g)}
                onChange={(_e, d) => onDraft('groupTypes', d.checked ? [...draft.groupTypes, g] : draft.groupTypes.filter((x) => x !== g))}
              />
            ))}
          </div>
        </Field>
      </Section>
    </>
  );
}
