import { makeStyles, tokens, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
    boxShadow: tokens.shadow2,
  },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalM },
});

export function Section({ title, children, actions, testId }: { title?: string; children: ReactNode; actions?: ReactNode; testId?: string }) {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid={testId}>
      {(title || actions) && (
        <div className={styles.head}>
          {title && (
            <Text as="h2" size={400} weight="semibold" style={{ flex: 1, margin: 0 }}>
              {title}
            </Text>
          )}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
