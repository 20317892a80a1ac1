import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import type { IceValues } from '../../../../src-main/shared/catalog';
import { useIpc } from '../../ipc/useIpc';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { ValuesList } from './ValuesList';

export function ValuesScreen() {
  const nav = useNav();
  const site = useIpc('sites.open', nav.site ? { id: nav.site.id } : null);
  const values: IceValues | null = site.value?.checklist.values ?? null;
  const error = site.failure?.message ?? '';
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
