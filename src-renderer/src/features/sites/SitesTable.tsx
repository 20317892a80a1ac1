// The saved sites as a table. Long tenants and ids truncate with the full text in a tooltip, so the
// columns hold from the app's minimum window (960 px) up. The tooltips and the row menus load on first use
// (LazyTooltip, RowMenu): Fluent's positioning engine is not part of the app's start-up.
import {
  Badge,
  Button,
  Link,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { BuildingRegular, MoreHorizontalRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { SiteSummary } from '../../../../src-main/shared/ipc-contract';
import { runLine } from '../../components/runWords';
import { LazyTooltip as Tooltip } from '../../components/LazyTooltip';
import { day, when } from '../../components/when';

const RowMenu = lazy(() => import('./RowMenu'));
const loadRowMenu = () => void import('./RowMenu');

const useStyles = makeStyles({
  table: { tableLayout: 'fixed', width: '100%' },
  truncate: { display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  name: { overflow: 'hidden' },
});

export type SiteAction = 'open' | 'rename' | 'duplicate' | 'export' | 'delete';

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

/**
 * The row's "Actions" button: a plain button until first used (hover or focus starts loading the menu's code; click,
 * Enter, Space or ArrowDown opens it), then Fluent's Menu, opened at once, with the same button as its trigger.
 */
function RowActions({ site, onAction }: { site: SiteSummary; onAction(action: SiteAction, site: SiteSummary): void }) {
  const [open, setOpen] = useState<boolean | null>(null); // null: the menu's code not asked for yet
  const button = (
    <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={`Actions for ${site.name}`} aria-haspopup="menu" aria-expanded={!!open} />
  );
  if (open === null) {
    return (
      <Button
        appearance="subtle"
        icon={<MoreHorizontalRegular />}
        aria-label={`Actions for ${site.name}`}
        aria-haspopup="menu"
        aria-expanded={false}
        onPointerEnter={loadRowMenu}
        onFocus={loadRowMenu}
        onClick={() => setOpen(true)}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      />
    );
  }
  return (
    <Suspense fallback={button}>
      <RowMenu site={site} open={open} onOpenChange={setOpen} trigger={button} onAction={onAction} />
    </Suspense>
  );
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
                  <Text size={200} wrap={false}>
                    {day(s.lastRun.at)}
                  </Text>
                </Cut>
              ) : (
                <Text className={styles.muted}>never</Text>
              )}
            </TableCell>
            <TableCell>
              {s.updatedAt ? (
                <Cut text={when(s.updatedAt)}>
                  <Text size={200} wrap={false}>
                    {day(s.updatedAt)}
                  </Text>
                </Cut>
              ) : null}
            </TableCell>
            <TableCell>
              <RowActions site={s} onAction={onAction} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
