import { makeStyles, tokens, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'flex-end', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalL },
  // The title keeps a readable width; the commands give way (their CommandBar overflows into "…").
  titles: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, flex: '1 1 260px', minWidth: '220px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', justifyContent: 'flex-end' },
  // As in the Azure portal: the command bar is a row of its own under the title, as wide as the page.
  commandRow: { marginTop: `-${tokens.spacingVerticalS}`, marginBottom: tokens.spacingVerticalL, display: 'flex', justifyContent: 'flex-start' },
});

export function PageHeader({ title, subtitle, actions, commands }: { title: string; subtitle?: ReactNode; actions?: ReactNode; commands?: ReactNode }) {
  const styles = useStyles();
  return (
    <>
    <div className={styles.root}>
      <div className={styles.titles}>
        <Text as="h1" size={600} weight="semibold" block style={{ margin: 0 }}>
          {title}
        </Text>
        {subtitle && (
          <Text size={300} block style={{ color: tokens.colorNeutralForeground3 }}>
            {subtitle}
          </Text>
        )}
      </div>
      {actions && <div className={styles.actions}>{actions}</div>}
    </div>
    {commands && <div className={styles.commandRow}>{commands}</div>}
    </>
  );
}
