// A site row's actions menu, loaded on first use (SitesTable): Fluent's Menu brings the positioning engine, which
// the Sites screen does not need to be usable.
import { Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { SiteSummary } from '../../../../src-main/shared/ipc-contract';
import type { SiteAction } from './SitesTable';

export default function RowMenu({
  site,
  open,
  onOpenChange,
  trigger,
  onAction,
}: {
  site: SiteSummary;
  open: boolean;
  onOpenChange(open: boolean): void;
  trigger: ReactElement;
  onAction(action: SiteAction, site: SiteSummary): void;
}) {
  return (
    <Menu open={open} onOpenChange={(_, d) => onOpenChange(d.open)}>
      <MenuTrigger disableButtonEnhancement>{trigger}</MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuItem onClick={() => onAction('open', site)}>Open</MenuItem>
          <MenuItem onClick={() => onAction('rename', site)}>Rename…</MenuItem>
          <MenuItem onClick={() => onAction('duplicate', site)}>Duplicate…</MenuItem>
          <MenuItem onClick={() => onAction('export', site)}>Export site file…</MenuItem>
          <MenuItem onClick={() => onAction('delete', site)}>Delete</MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
