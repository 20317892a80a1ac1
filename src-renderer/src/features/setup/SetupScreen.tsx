// Setup: a new site, or the settings of the open one. Checked as you type; Enter saves; after a failed
// save the first field that needs attention gets the focus (its message beside it).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { SaveRegular, AddRegular, ArrowRightRegular } from '@fluentui/react-icons';
import type { FieldError, SettingsDraft } from '../../../../src-main/shared/ipc-contract';
import { invoke } from '../../api';
import { useIpc, useUnmountSignal } from '../../ipc/useIpc';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { SettingsForm } from './SettingsForm';
import { unplaced } from './fieldErrors';
import { makeFieldErrors, useDraftValidation } from './useFieldErrors';
import { useChecklistFlow } from '../checklist/ChecklistFlow';

const FORM_FIELDS = ['displayName', 'signInAudience', 'hosts', 'scopeValue', 'consent', 'groupTypes', 'consentTexts', 'cloud', 'loginUrl', 'graphUrl', 'portalUrl', 'name', 'tenant'] as const;

const useStyles = makeStyles({
  footer: {
    position: 'sticky',
    bottom: 0,
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} 0`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  footerError: { color: tokens.colorPaletteRedForeground1 },
});

interface Form {
  draft: SettingsDraft;
  name: string;
  tenant: string;
}

type Banner = { intent: 'success' | 'error'; text: string } | null;

/** Focuses the first invalid control of the form and brings it, with its message, into view. */
function focusFirstInvalid(form: HTMLFormElement | null): void {
  const el = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!el) return;
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'center' });
}

export function SetupScreen() {
  const styles = useStyles();
  const nav = useNav();
  const flow = useChecklistFlow();
  const isNew = nav.site === null;
  const unmounted = useUnmountSignal();
  const loaded = useIpc('sites.open', nav.site ? { id: nav.site.id } : null);
  const defaults = useIpc('settings.defaults', isNew ? {} : null);
  const [form, setForm] = useState<{ key: string; value: Form } | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldError[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<Banner>(null);
  const [focusNonce, setFocusNonce] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  // The form starts from the open site (or the defaults) and is reset when another site opens.
  const key = nav.site?.id ?? 'new';
  let current = form?.key === key ? form.value : null;
  if (!current) {
    const source = isNew
      ? defaults.value && { draft: defaults.value.draft, name: '', tenant: '' }
      : loaded.value && { draft: loaded.value.site.draft, name: loaded.value.site.name, tenant: loaded.value.site.tenant ?? '' };
    if (source) {
      current = source;
      setForm({ key, value: source });
    }
  }
  const validation = useDraftValidation(current?.draft ?? null);

  useEffect(() => {
    if (focusNonce) focusFirstInvalid(formRef.current);
  }, [focusNonce]);

  const failure = loaded.failure ?? defaults.failure;
  if (!current) {
    return failure ? (
      <MessageBar intent="error" data-testid="setup-error">
        <MessageBarBody>{failure.message}</MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner label="Loading settings…" />
    );
  }
  const value = current;

  const update = (patch: Partial<Form>, control: string) => {
    setForm({ key, value: { ...value, ...patch } });
    setTouched((t) => (t.has(control) ? t : new Set(t).add(control)));
    setServerErrors(null);
  };
  const errors = makeFieldErrors(serverErrors ?? validation.errors, touched, submitted);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setBanner(null);
    setBusy(true);
    const signal = unmounted();
    try {
      if (isNew) {
        const r = await invoke('sites.create', { name: value.name, draft: value.draft, tenant: value.tenant });
        if (signal.aborted) return;
        if (!r.ok) {
          setServerErrors(r.fields ?? [{ field: 'name', message: r.message }]);
          setBanner({ intent: 'error', text: r.message });
          setFocusNonce((n) => n + 1);
          return;
        }
        nav.openSite({ id: r.site.id, name: r.site.name }, 'setup');
        setBanner({ intent: 'success', text: `Site "${r.site.name}" created.` });
      } else if (nav.site) {
        const r = await invoke('sites.save', { id: nav.site.id, draft: value.draft, tenant: value.tenant });
        if (signal.aborted) return;
        if (!r.ok) {
          setServerErrors(r.fields ?? []);
          setBanner({ intent: 'error', text: r.message });
          setFocusNonce((n) => n + 1);
          return;
        }
        flow.reload();
        setBanner({ intent: 'success', text: 'Settings saved.' });
      }
    } finally {
      if (!signal.aborted) setBusy(false);
    }
  };

  const stray = submitted ? unplaced(errors.list, FORM_FIELDS) : [];

  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
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
      <SettingsForm
        isNew={isNew}
        name={value.name}
        tenant={value.tenant}
        draft={value.draft}
        preview={validation.preview}
        errors={errors}
        onName={(name) => update({ name }, 'name')}
        onTenant={(tenant) => update({ tenant }, 'tenant')}
        onDraft={(k, v) => update({ draft: { ...value.draft, [k]: v } }, k)}
      />
      <div className={styles.footer}>
        <Button type="submit" appearance="primary" icon={isNew ? <AddRegular /> : <SaveRegular />} disabled={busy} data-testid="save-settings">
          {isNew ? 'Create site' : 'Save'}
        </Button>
        {isNew ? (
          <Button onClick={() => nav.go('sites')}>Cancel</Button>
        ) : (
          <Button icon={<ArrowRightRegular />} iconPosition="after" onClick={() => nav.go('signin')} data-testid="setup-next">
            Next: sign in
          </Button>
        )}
        {errors.count > 0 && (
          <Text className={styles.footerError} role="status" data-testid="setup-error-count">
            {errors.count === 1 ? '1 field needs attention' : `${errors.count} fields need attention`}
          </Text>
        )}
      </div>
    </form>
  );
}
