import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Link,
  tokens,
  Badge,
} from '@fluentui/react-components';
import {
  AddRegular,
  ArrowImportRegular,
  MoreHorizontalRegular,
  BuildingRegular,
  DocumentErrorRegular,
} from '@fluentui/react-icons';
import type { DamagedSite, Result, SiteSummary } from '../../../../src-main/shared/ipc-contract';
import { errorOf, invoke } from '../../api';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { NameDialog } from './NameDialog';

type Pending = { kind: 'rename' | 'duplicate'; site: SiteSummary } | null;

function when(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function SitesScreen() {
  const nav = useNav();
  const [sites, setSites] = useState<SiteSummary[] | null>(null);
  const [damaged, setDamaged] = useState<DamagedSite[]>([]);
  const [folder, setFolder] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [pending, setPending] = useState<Pending>(null);

  const refresh = useCallback(async () => {
    const r = await invoke('sites.list', {});
    if (!r.ok) return setError(r.message);
    setSites(r.sites);
    setDamaged(r.damaged);
    setFolder(r.folder);
  }, []);

  useEffect(() => {
    let live = true;
    invoke('sites.list', {})
      .then((r) => {
        if (!live) return;
        if (!r.ok) return setError(r.message);
        setSites(r.sites);
        setDamaged(r.damaged);
        setFolder(r.folder);
      })
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, []);

  const open = (s: SiteSummary) => nav.openSite({ id: s.id, name: s.name }, 'checklist');

  const act = async (fn: () => Promise<Result<object>>, done: string) => {
    setError('');
    setNotice('');
    const r = await fn();
    if (!r.ok) {
      if (r.code !== 'cancelled') setError(errorOf(r));
    } else setNotice(done);
    await refresh();
  };

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
      <ErrorBar error={error} />
      {notice && (
        <MessageBar intent="success" style={{ marginBottom: 12 }}>
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {damaged.length > 0 && (
        <MessageBar intent="warning" layout="multiline" style={{ marginBottom: 12 }} data-testid="damaged-sites">
          <MessageBarBody>
            <MessageBarTitle>
              {damaged.length === 1 ? 'One file could not be opened' : `${damaged.length} files could not be opened`}
            </MessageBarTitle>
            They were left untouched. The other sites load normally.
            <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
              {damaged.map((d) => (
                <li key={d.file} data-testid="damaged-site">
                  <DocumentErrorRegular style={{ verticalAlign: 'middle' }} /> <Text weight="semibold">{d.file}</Text>: {d.error}{' '}
                  <Link
                    onClick={() =>
                      void act(
                        () => invoke('sites.delete', { id: d.file.split(/[\\/]/).pop() ?? '' }),
                        'The damaged file was moved to the .trash folder beside the sites (recoverable).',
                      )
                    }
                  >
                    Move to trash
                  </Link>
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <Section testId="sites-table">
        {sites === null ? (
          <Spinner label="Loading sites…" />
        ) : sites.length === 0 ? (
          <div style={{ padding: 24, textAlign: 'center' }}>
            <BuildingRegular fontSize={40} style={{ color: tokens.colorNeutralForeground3 }} />
            <Text block align="center" size={400} weight="semibold">
              No sites yet
            </Text>
            <Text block align="center" style={{ color: tokens.colorNeutralForeground3 }}>
              Create one per customer site: name, ICE hosts and the options the guide asks for.
            </Text>
          </div>
        ) : (
          <Table aria-label="Saved sites" size="medium">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Tenant</TableHeaderCell>
                <TableHeaderCell>Application (client) ID</TableHeaderCell>
                <TableHeaderCell>Last check</TableHeaderCell>
                <TableHeaderCell>Updated</TableHeaderCell>
                <TableHeaderCell style={{ width: 48 }} aria-label="Actions" />
              </TableRow>
            </TableHeader>
            <TableBody>
              {sites.map((s) => (
                <TableRow key={s.id} data-testid="site-row" data-site-id={s.id}>
                  <TableCell>
                    <TableCellLayout media={<BuildingRegular />}>
                      <Link onClick={() => open(s)}>{s.name}</Link>
                    </TableCellLayout>
                  </TableCell>
                  <TableCell>{s.tenant ?? <Text style={{ color: tokens.colorNeutralForeground4 }}>not set</Text>}</TableCell>
                  <TableCell>
                    <Text font="monospace" size={200}>
                      {s.appId ?? '—'}
                    </Text>
                  </TableCell>
                  <TableCell>
                    {s.lastRun ? (
                      <>
                        <Badge appearance="tint" color={s.lastRun.failed ? 'danger' : 'success'}>
                          {s.lastRun.failed ? `${s.lastRun.failed} failing` : `${s.lastRun.passed} passing`}
                        </Badge>{' '}
                        <Text size={200}>
                          {s.lastRun.kind}, {when(s.lastRun.at)}
                        </Text>
                      </>
                    ) : (
                      <Text style={{ color: tokens.colorNeutralForeground4 }}>never</Text>
                    )}
                  </TableCell>
                  <TableCell>
                    <Text size={200}>{when(s.updatedAt)}</Text>
                  </TableCell>
                  <TableCell>
                    <Menu>
                      <MenuTrigger disableButtonEnhancement>
                        <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={`Actions for ${s.name}`} />
                      </MenuTrigger>
                      <MenuPopover>
                        <MenuList>
                          <MenuItem onClick={() => open(s)}>Open</MenuItem>
                          <MenuItem onClick={() => setPending({ kind: 'rename', site: s })}>Rename…</MenuItem>
                          <MenuItem onClick={() => setPending({ kind: 'duplicate', site: s })}>Duplicate…</MenuItem>
                          <MenuItem onClick={() => void act(() => invoke('sites.export', { id: s.id }), 'Site file exported.')}>
                            Export site file…
                          </MenuItem>
                          <MenuItem
                            onClick={() =>
                              void act(async () => {
                                const r = await invoke('sites.delete', { id: s.id });
                                if (nav.site?.id === s.id) nav.openSite(null);
                                return r;
                              }, `"${s.name}" moved to the .trash folder beside the sites (recoverable).`)
                            }
                          >
                            Delete
                          </MenuItem>
                        </MenuList>
                      </MenuPopover>
                    </Menu>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {folder && (
          <Text block size={200} style={{ marginTop: 12, color: tokens.colorNeutralForeground3 }}>
            Sites folder: {folder}
          </Text>
        )}
      </Section>
      {pending && (
        <NameDialog
          title={pending.kind === 'rename' ? `Rename "${pending.site.name}"` : `Duplicate "${pending.site.name}"`}
          initial={pending.kind === 'rename' ? pending.site.name : `${pending.site.name} (copy)`}
          action={pending.kind === 'rename' ? 'Rename' : 'Duplicate'}
          onCancel={() => setPending(null)}
          onSubmit={async (name) => {
            const r =
              pending.kind === 'rename'
                ? await invoke('sites.rename', { id: pending.site.id, name })
                : await invoke('sites.duplicate', { id: pending.site.id, name });
            if (!r.ok) return errorOf(r);
            if (pending.kind === 'rename' && nav.site?.id === pending.site.id) nav.openSite({ id: r.site.id, name: r.site.name });
            setPending(null);
            await refresh();
            return '';
          }}
        />
      )}
    </>
  );
}
