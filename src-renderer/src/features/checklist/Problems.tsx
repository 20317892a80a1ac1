// The problems of the last run, first on the Checklist: each root cause once, with what resolves it and the
// steps that follow from it (named by title; a click opens the step below).
import { Link, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { DismissCircleFilled, WarningFilled, QuestionCircleFilled, CheckmarkCircleFilled } from '@fluentui/react-icons';
import type { ChecklistStep } from '../../../../src-main/shared/ipc-contract';
import type { StepId } from '../../../../src-main/shared/catalog';
import type { Problem } from '../../../../src-main/shared/guidance';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  card: {
    display: 'grid',
    gridTemplateColumns: '24px minmax(0, 1fr)',
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
  deps: { marginTop: tokens.spacingVerticalXS, fontSize: tokens.fontSizeBase200 },
  depsLabel: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  ok: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  group: { gridTemplateColumns: '24px minmax(0, 1fr)' },
  rows: { listStyle: 'none', margin: `${tokens.spacingVerticalXS} 0 0`, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  row: { display: 'grid', gridTemplateColumns: '20px minmax(0, 1fr)', columnGap: tokens.spacingHorizontalS, alignItems: 'start' },
  rowTitle: { fontWeight: tokens.fontWeightSemibold },
  depList: { listStyle: 'none', margin: 0, padding: 0, columns: '2 220px', columnGap: tokens.spacingHorizontalL },
  // Links are targets of at least 24 px (WCAG 2.2 target size).
  target: { display: 'inline-block', minHeight: '24px', lineHeight: '24px' },
});

const ICON = {
  fail: <DismissCircleFilled fontSize={20} color={tokens.colorPaletteRedForeground1} />,
  warn: <WarningFilled fontSize={20} color={tokens.colorPaletteDarkOrangeForeground1} />,
  unknown: <QuestionCircleFilled fontSize={20} color={tokens.colorNeutralForeground3} />,
};


const SMALL_ICON = {
  fail: <DismissCircleFilled fontSize={16} color={tokens.colorPaletteRedForeground1} />,
  warn: <WarningFilled fontSize={16} color={tokens.colorPaletteDarkOrangeForeground1} />,
  unknown: <QuestionCircleFilled fontSize={16} color={tokens.colorNeutralForeground3} />,
};

export interface ProblemActions {
  verify(): void;
  apply(): void;
  busy: boolean;
  showStep(id: StepId): void;
}

/** One problem: its cause, what resolves it, and the steps that follow from it. */
function ProblemItem({ p, title, actions, compact }: { p: Problem; title(id: StepId): string; actions: ProblemActions; compact?: boolean }) {
  const styles = useStyles();
  const deps = p.steps.filter((s) => s !== p.root);
  return (
    <li className={compact ? styles.row : mergeClasses(styles.card, styles[p.status])} data-testid="problem" data-root={p.root} data-action={p.action} data-status={p.status}>
      <span style={{ paddingTop: 2 }}>{compact ? SMALL_ICON[p.status] : ICON[p.status]}</span>
      <div style={{ minWidth: 0 }}>
        {compact ? (
          <Link className={mergeClasses(styles.rowTitle, styles.target)} onClick={() => actions.showStep(p.root)}>
            {title(p.root)}
          </Link>
        ) : (
          <Text block weight="semibold">
            {p.title}
          </Text>
        )}
        {p.detail && p.action !== 'verify' && (
          <Text block size={200} className={styles.detail}>
            {p.detail}
          </Text>
        )}
        {!compact && deps.length > 0 && (
          <div className={styles.deps} data-testid="problem-steps">
            <span className={styles.depsLabel}>{deps.length === 1 ? 'Also follows from it:' : `${deps.length} steps follow from it:`}</span>
            <ul className={styles.depList}>
              {deps.map((id) => (
                <li key={id}>
                  <Link className={styles.target} onClick={() => actions.showStep(id)} data-step={id}>
                    {title(id)}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
        {!compact && deps.length === 0 && (
          <Link className={styles.target} style={{ fontSize: tokens.fontSizeBase200 }} onClick={() => actions.showStep(p.root)}>
            Details of “{title(p.root)}”
          </Link>
        )}
      </div>
    </li>
  );
}

/**
 * Root causes each get a card of their own; settings that simply differ and Apply sets (no step depends on
 * them) share one card, a line each, so ten small differences do not read as ten alarms.
 */
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
  const simple = (p: Problem) => p.action === 'apply' && p.steps.filter((s) => s !== 'overview.values').length === 1;
  const fixes = problems.filter(simple);
  const fixesAt = problems.findIndex(simple);
  const items: Array<Problem | 'fixes'> = problems.filter((p) => !simple(p));
  if (fixes.length) items.splice(Math.min(fixesAt, items.length), 0, 'fixes');
  return (
    <ul className={styles.list} data-testid="problems">
      {items.map((p) =>
        p === 'fixes' ? (
          <li key="fixes" className={mergeClasses(styles.card, styles.fail, styles.group)} data-testid="problem-group">
            <span style={{ paddingTop: 2 }}>{ICON.fail}</span>
            <div style={{ minWidth: 0 }}>
              <Text block weight="semibold">
                {fixes.length === 1 ? 'One setting differs from the guide: Apply fixes sets it.' : `${fixes.length} settings differ from the guide: Apply fixes sets them.`}
              </Text>
              <ul className={styles.rows}>
                {fixes.map((f) => (
                  <ProblemItem key={f.root} p={f} title={title} actions={actions} compact />
                ))}
              </ul>
              {fixes.some((f) => f.steps.length > 1) && (
                <Text block size={200} className={styles.depsLabel} style={{ marginTop: 6 }}>
                  The eight ICE Server values follow from these.
                </Text>
              )}
            </div>
          </li>
        ) : (
          <ProblemItem key={p.root} p={p} title={title} actions={actions} />
        ),
      )}
    </ul>
  );
}
