// The saved sites as a table. Long tenants and ids truncate with the full text in a tooltip, so the
// columns hold from the app's minimum window (960 px) up.
import {
  Badge,
  Button,
  Link,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { BuildingRegular, MoreHorizontalRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { SiteSummary } from '../../../../src-main/shared/ipc-contract';
import { runLine } from '../../components/runWords';

const useStyles = makeStyles({
  table: { tableLayout: 'fixed', width: '100%' },
  truncate: { display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  name: { overflow: 'hidden' },
});

export type SiteAction = 'open' | 'rename' | 'duplicate' | 'export' | 'delete';

function when(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Text cut to the cell's width, the whole of it in a tooltip. */
function Cut({ text, mono, children }: { text: string; mono?: boolean; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <Tooltip content={text} relationship="description" withArrow>
      <span className={mergeClasses(styles.truncate, mono && styles.mono)} tabIndex={0}>
        {children ?? text}
      </span>
    </Tooltip>
  );
}

function day(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString();
}

export function SitesTable({ sites, onAction }: { sites: SiteSummary[]; onAction(action: SiteAction, site: SiteSummary): void }) {
  const styles = useStyles();
  return (
    <Table aria-label="Saved sites" size="medium" className={styles.table}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell style={{ width: '24%' }}>Name</TableHeaderCell>
          <TableHeaderCell style={{ width: '20%' }}>Tenant</TableHeaderCell>
          <TableHeaderCell style={{ width: '18%' }}>Client ID</TableHeaderCell>
          <TableHeaderCell style={{ width: '24%' }}>Last check</TableHeaderCell>
          <TableHeaderCell style={{ width: '14%' }}>Updated</TableHeaderCell>
          <TableHeaderCell style={{ width: 48 }} aria-label="Actions" />
        </TableRow>
      </TableHeader>
      <TableBody>
        {sites.map((s) => (
          <TableRow key={s.id} data-testid="site-row" data-site-id={s.id}>
            <TableCell>
              <TableCellLayout media={<BuildingRegular />} className={styles.name}>
                <Tooltip content={s.name} relationship="description">
                  <Link className={styles.truncate} onClick={() => onAction('open', s)}>
                    {s.name}
                  </Link>
                </Tooltip>
              </TableCellLayout>
            </TableCell>
            <TableCell>{s.tenant ? <Cut text={s.tenant} /> : <Text className={styles.muted}>not set</Text>}</TableCell>
            <TableCell>{s.appId ? <Cut text={s.appId} mono /> : <Text className={styles.muted}>—</Text>}</TableCell>
            <TableCell>
              {s.lastRun ? (
                <Cut text={`${s.lastRun.failed ? `${s.lastRun.failed} failing` : `${s.lastRun.passed} passing`}, ${runLine(s.lastRun)}`}>
                  <Badge appearance="tint" color={s.lastRun.failed ? 'danger' : 'success'}>
                    {s.lastRun.failed ? `${s.lastRun.failed} failing` : `${s.lastRun.passed} passing`}
                  </Badge>{' '}
                  <Text size={200}>{day(s.lastRun.at)}</Text>
                </Cut>
              ) : (
                <Text className={styles.muted}>never</Text>
              )}
            </TableCell>
            <TableCell>{s.updatedAt ? <Cut text={when(s.updatedAt)}>{day(s.updatedAt)}</Cut> : null}</TableCell>
            <TableCell>
              <Menu>
                <MenuTrigger disableButtonEnhancement>
                  <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={`Actions for ${s.name}`} />
                </MenuTrigger>
                <MenuPopover>
                  <MenuList>
                    <MenuItem onClick={() => onAction('open', s)}>Open</MenuItem>
                    <MenuItem onClick={() => onAction('rename', s)}>Rename…</MenuItem>
                    <MenuItem onClick={() => onAction('duplicate', s)}>Duplicate…</MenuItem>
                    <MenuItem onClick={() => onAction('export', s)}>Export site file…</MenuItem>
                    <MenuItem onClick={() => onAction('delete', s)}>Delete</MenuItem>
                  </MenuList>
                </MenuPopover>
              </Menu>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
