// Sites: the saved configurations (one per customer site), with import, and the damaged files named.
import { lazy, Suspense, useState } from 'react';
import { Button, MessageBar, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import { AddRegular, ArrowImportRegular, BuildingRegular } from '@fluentui/react-icons';
import type { SiteSummary } from '../../../../src-main/shared/ipc-contract';
import { invoke, type Failure } from '../../api';
import { useIpc } from '../../ipc/useIpc';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { DamagedSites } from './DamagedSites';
import type { SiteAction } from './SitesTable';

// Loaded when first needed (start-up): the table once there are sites, the name dialog on Rename or Duplicate.
const SitesTable = lazy(() => import('./SitesTable').then((m) => ({ default: m.SitesTable })));
const NameDialog = lazy(() => import('./NameDialog').then((m) => ({ default: m.NameDialog })));

type Pending = { kind: 'rename' | 'duplicate'; site: SiteSummary } | null;

export function SitesScreen() {
  const nav = useNav();
  const list = useIpc('sites.list', {});
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [pending, setPending] = useState<Pending>(null);

  /** Runs an action, says what happened (a cancelled dialog says nothing), then lists again. */
  const act = async (fn: () => Promise<{ ok: true } | Failure>, done: string) => {
    setError('');
    setNotice('');
    const r = await fn();
    if (!r.ok) {
      if (r.code !== 'cancelled') setError(r.message);
    } else setNotice(done);
    list.reload();
  };

  const onAction = (action: SiteAction, s: SiteSummary) => {
    switch (action) {
      case 'open':
        return nav.openSite({ id: s.id, name: s.name }, 'checklist');
      case 'rename':
      case 'duplicate':
        return setPending({ kind: action, site: s });
      case 'export':
        return void act(() => invoke('sites.export', { id: s.id }), 'Site file exported.');
      case 'delete':
        return void act(async () => {
          const r = await invoke('sites.delete', { id: s.id });
          if (r.ok && nav.site?.id === s.id) nav.openSite(null);
          return r;
        }, `"${s.name}" moved to the .trash folder beside the sites (recoverable).`);
    }
  };

  const sites = list.value?.sites ?? null;
  return (
    <>
      <PageHeader
        title="Sites"
        subtitle="One saved configuration per customer site. Everything saved here can be reviewed offline."
        actions={
          <>
            <Button appearance="primary" icon={<AddRegular />} onClick={() => nav.openSite(null, 'setup')} data-testid="new-site">
              New site
            </Button>
            <Button icon={<ArrowImportRegular />} onClick={() => void act(() => invoke('sites.import', {}), 'Site imported.')}>
              Import
            </Button>
          </>
        }
      />
      <ErrorBar error={error || list.failure?.message || ''} />
      {notice && (
        <MessageBar intent="success" style={{ marginBottom: 12 }}>
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <DamagedSites
        damaged={list.value?.damaged ?? []}
        onTrash={(d) =>
          void act(() => invoke('sites.delete', { id: d.file.split(/[\\/]/).pop() ?? '' }), 'The damaged file was moved to the .trash folder beside the sites (recoverable).')
        }
      />
      <Section testId="sites-table">
        {sites === null ? (
          list.failure ? null : <Spinner label="Loading sites…" />
        ) : sites.length === 0 ? (
          <div style={{ padding: 24, textAlign: 'center' }}>
            <BuildingRegular fontSize={40} style={{ color: tokens.colorNeutralForeground3 }} />
            <Text block align="center" size={400} weight="semibold">
              No sites yet
            </Text>
            <Text block align="center" style={{ color: tokens.colorNeutralForeground3 }}>
              Create one per customer site: name, ICE hosts and the options the guide asks for.
            </Text>
            <Button appearance="primary" icon={<AddRegular />} style={{ marginTop: 12 }} onClick={() => nav.openSite(null, 'setup')}>
              Create the first site
            </Button>
          </div>
        ) : (
          <Suspense fallback={<Spinner label="Loading sites…" />}>
            <SitesTable sites={sites} onAction={onAction} />
          </Suspense>
        )}
        {list.value?.folder && (
          <Text block size={200} style={{ marginTop: 12, color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' }}>
            Sites folder: {list.value.folder}
          </Text>
        )}
      </Section>
      {pending && (
        <Suspense fallback={null}>
        <NameDialog
          title={pending.kind === 'rename' ? `Rename "${pending.site.name}"` : `Duplicate "${pending.site.name}"`}
          initial={pending.kind === 'rename' ? pending.site.name : `${pending.site.name} (copy)`}
          action={pending.kind === 'rename' ? 'Rename' : 'Duplicate'}
          onCancel={() => setPending(null)}
          onSubmit={async (name) => {
            const r = pending.kind === 'rename' ? await invoke('sites.rename', { id: pending.site.id, name }) : await invoke('sites.duplicate', { id: pending.site.id, name });
            if (!r.ok) return r.message;
            if (pending.kind === 'rename' && nav.site?.id === pending.site.id) nav.openSite({ id: r.site.id, name: r.site.name });
            setPending(null);
            list.reload();
            return '';
          }}
        />
        </Suspense>
      )}
    </>
  );
}
