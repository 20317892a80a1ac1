import { useEffect, useState } from 'react';
import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import type { IceValues } from '../../../../src-main/shared/catalog';
import { invoke } from '../../api';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { ValuesList } from './ValuesList';

export function ValuesScreen() {
  const nav = useNav();
  const [values, setValues] = useState<IceValues | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!nav.site) return;
    let live = true;
    void invoke('sites.open', { id: nav.site.id }).then((r) => {
      if (!live) return;
      if (r.ok) setValues(r.checklist.values);
      else setError(r.message);
    });
    return () => {
      live = false;
    };
  }, [nav.site]);
  const missing = values ? Object.values(values).filter((v) => !v).length : 0;
  return (
    <>
      <PageHeader
        title="ICE values"
        subtitle="Type these into ICE Desktop: Settings > Organization > Authentication > Azure Entra ID SSO, in this order."
      />
      <ErrorBar error={error} />
      {missing > 0 && (
        <MessageBar intent="info" style={{ marginBottom: 12 }}>
          <MessageBarBody>
            {missing} of the eight values are not known yet: verify or apply against the tenant (or review the app's JSON) first.
          </MessageBarBody>
        </MessageBar>
      )}
      <Section>{values ? <ValuesList values={values} /> : <Spinner label="Loading…" />}</Section>
    </>
  );
}
