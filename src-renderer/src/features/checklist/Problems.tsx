// The problems of the last run, first on the Checklist: each root cause once, with what resolves it and the
// steps that follow from it (named by title; a click opens the step below).
import { Button, Link, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { DismissCircleFilled, WarningFilled, QuestionCircleFilled, CheckmarkCircleFilled } from '@fluentui/react-icons';
import type { ChecklistStep } from '../../../../src-main/shared/ipc-contract';
import type { StepId } from '../../../../src-main/shared/catalog';
import type { Problem } from '../../../../src-main/shared/guidance';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  card: {
    display: 'grid',
    gridTemplateColumns: '24px minmax(0, 1fr) auto',
    columnGap: tokens.spacingHorizontalM,
    alignItems: 'start',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderLeftWidth: '4px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  fail: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  warn: { borderLeftColor: tokens.colorPaletteDarkOrangeBorder2 },
  unknown: { borderLeftColor: tokens.colorNeutralStroke1 },
  detail: { color: tokens.colorNeutralForeground2, marginTop: '2px', overflowWrap: 'anywhere' },
  deps: { display: 'flex', flexWrap: 'wrap', gap: `2px ${tokens.spacingHorizontalM}`, marginTop: tokens.spacingVerticalXS, fontSize: tokens.fontSizeBase200 },
  depsLabel: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  ok: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

const ICON = {
  fail: <DismissCircleFilled fontSize={20} color={tokens.colorPaletteRedForeground1} />,
  warn: <WarningFilled fontSize={20} color={tokens.colorPaletteDarkOrangeForeground1} />,
  unknown: <QuestionCircleFilled fontSize={20} color={tokens.colorNeutralForeground3} />,
};

export interface ProblemActions {
  verify(): void;
  apply(): void;
  busy: boolean;
  showStep(id: StepId): void;
}

export function Problems({ problems, steps, actions }: { problems: Problem[]; steps: ChecklistStep[]; actions: ProblemActions }) {
  const styles = useStyles();
  const title = (id: StepId) => steps.find((s) => s.id === id)?.title ?? id;
  if (!problems.length) {
    return (
      <div className={styles.ok} data-testid="no-problems">
        <CheckmarkCircleFilled fontSize={20} color={tokens.colorPaletteGreenForeground1} />
        <Text>Every step of the guide passes in this tenant.</Text>
      </div>
    );
  }
  // One button per kind of action: the first problem it resolves carries it.
  const firstOf = new Map<string, string>();
  for (const p of problems) if (!firstOf.has(p.action)) firstOf.set(p.action, p.root);
  return (
    <ul className={styles.list} data-testid="problems">
      {problems.map((p) => {
        const deps = p.steps.filter((s) => s !== p.root);
        const button = firstOf.get(p.action) === p.root;
        return (
          <li key={p.root} className={mergeClasses(styles.card, styles[p.status])} data-testid="problem" data-root={p.root} data-action={p.action} data-status={p.status}>
            <span style={{ paddingTop: 2 }}>{ICON[p.status]}</span>
            <div style={{ minWidth: 0 }}>
              <Text block weight="semibold">
                {p.title}
              </Text>
              {p.detail && p.action !== 'verify' && (
                <Text block size={200} className={styles.detail}>
                  {p.detail}
                </Text>
              )}
              {deps.length > 0 && (
                <div className={styles.deps} data-testid="problem-steps">
                  <span className={styles.depsLabel}>{deps.length === 1 ? 'Also follows from it:' : `${deps.length} steps follow from it:`}</span>
                  {deps.map((id) => (
                    <Link key={id} onClick={() => actions.showStep(id)} data-step={id}>
                      {title(id)}
                    </Link>
                  ))}
                </div>
              )}
              {deps.length === 0 && (
                <Link style={{ fontSize: tokens.fontSizeBase200 }} onClick={() => actions.showStep(p.root)}>
                  Details of “{title(p.root)}”
                </Link>
              )}
            </div>
            <span>
              {button && p.action === 'apply' && (
                <Button size="small" appearance="primary" disabled={actions.busy} onClick={actions.apply}>
                  Apply fixes…
                </Button>
              )}
              {button && p.action === 'verify' && (
                <Button size="small" appearance="primary" disabled={actions.busy} onClick={actions.verify}>
                  Verify
                </Button>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
