// A screen's commands. When the window is too narrow for all of them, the lower-priority ones move into a
// "…" menu (Fluent's Overflow), as Windows command bars do; the primary command stays visible.
import {
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Overflow,
  OverflowItem,
  makeStyles,
  tokens,
  useIsOverflowItemVisible,
  useOverflowMenu,
} from '@fluentui/react-components';
import { MoreHorizontalRegular } from '@fluentui/react-icons';
import type { ReactElement } from 'react';

export interface Command {
  id: string;
  label: string;
  icon?: ReactElement;
  onClick(): void;
  disabled?: boolean;
  primary?: boolean;
  testId?: string;
  /** Hidden entirely (not just overflowed). */
  hidden?: boolean;
}

const useStyles = makeStyles({
  bar: { display: 'flex', flexWrap: 'nowrap', gap: tokens.spacingHorizontalS, minWidth: 0, width: '100%', overflow: 'hidden', padding: '2px' },
});

function OverflowMenuItem({ c }: { c: Command }) {
  const visible = useIsOverflowItemVisible(c.id);
  if (visible) return null;
  return (
    <MenuItem icon={c.icon} disabled={!!c.disabled} onClick={c.onClick}>
      {c.label}
    </MenuItem>
  );
}

function MoreMenu({ commands }: { commands: Command[] }) {
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button ref={ref} icon={<MoreHorizontalRegular />} aria-label={`${overflowCount} more command${overflowCount === 1 ? '' : 's'}`} data-testid="more-commands" />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {commands.map((c) => (
            <OverflowMenuItem key={c.id} c={c} />
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

export function CommandBar({ commands, label }: { commands: Command[]; label: string }) {
  const styles = useStyles();
  const shown = commands.filter((c) => !c.hidden);
  return (
    <Overflow padding={40}>
      <div className={styles.bar} role="toolbar" aria-label={label}>
        {shown.map((c, i) => (
          <OverflowItem key={c.id} id={c.id} priority={c.primary ? 100 : shown.length - i}>
            <Button appearance={c.primary ? 'primary' : 'secondary'} icon={c.icon} disabled={!!c.disabled} onClick={c.onClick} data-testid={c.testId} data-primary={c.primary ? "true" : undefined} style={{ flexShrink: 0 }}>
              {c.label}
            </Button>
          </OverflowItem>
        ))}
        <MoreMenu commands={shown} />
      </div>
    </Overflow>
  );
}
