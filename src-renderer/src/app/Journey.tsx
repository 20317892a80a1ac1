// The visit as a journey: Site → Sign in → Check → Fix → Prove → Values → Export, each stage with its state,
// and the next action always one click away (it also performs it: Verify, Apply fixes...).
import { Button, makeStyles, mergeClasses, tokens, Text } from '@fluentui/react-components';
import { LazyTooltip as Tooltip } from '../components/LazyTooltip';
import { CheckmarkCircleFilled, CircleRegular, WarningFilled, ArrowRightRegular, RecordFilled } from '@fluentui/react-icons';
import { groupProblems, journey, type Stage, type StageState } from '../../../src-main/shared/guidance';
import { useNav, type Screen } from './nav';
import { useVisit } from './visit';
import { useChecklistFlow } from '../features/checklist/ChecklistFlow';
import { isSettled } from '../features/checklist/flow';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    flexShrink: 0,
  },
  stages: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: '2px', margin: 0, padding: 0, listStyle: 'none', flex: 1, minWidth: 0 },
  stage: {
    display: 'flex',
    alignItems: 'center',
    gap: '4px',
    padding: '2px 6px',
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    background: 'none',
    color: tokens.colorNeutralForeground2,
    font: 'inherit',
    fontSize: tokens.fontSizeBase200,
    cursor: 'pointer',
    whiteSpace: 'nowrap',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
    ':disabled': { cursor: 'default', color: tokens.colorNeutralForeground3 },
  },
  current: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold, backgroundColor: tokens.colorBrandBackground2 },
  sep: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  done: { color: tokens.colorPaletteGreenForeground1 },
  attention: { color: tokens.colorPaletteDarkOrangeForeground1 },
  next: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexShrink: 0 },
});

const LABEL: Record<Stage, string> = { site: 'Site', signin: 'Sign in', check: 'Check', fix: 'Fix', prove: 'Prove', values: 'Values', export: 'Export' };
const SCREEN: Record<Stage, Screen> = { site: 'sites', signin: 'signin', check: 'checklist', fix: 'checklist', prove: 'checklist', values: 'values', export: 'export' };
const STATE_WORDS: Record<StageState, string> = { done: 'done', current: 'next', todo: 'not yet', attention: 'needs attention' };

/** What the next action says and does. */
const NEXT: Record<Stage, string> = {
  site: 'Create or open a site',
  signin: 'Sign in to the tenant',
  check: 'Verify (read-only)',
  fix: 'Apply fixes',
  prove: 'Prove sign-in',
  values: 'Type the ICE values',
  export: 'Export the bundle',
};

function StageIcon({ state }: { state: StageState }) {
  const styles = useStyles();
  if (state === 'done') return <CheckmarkCircleFilled className={styles.done} fontSize={16} />;
  if (state === 'attention') return <WarningFilled className={styles.attention} fontSize={16} />;
  if (state === 'current') return <RecordFilled fontSize={16} />;
  return <CircleRegular fontSize={16} />;
}

export function Journey() {
  const styles = useStyles();
  const nav = useNav();
  const visit = useVisit();
  const flow = useChecklistFlow();
  const site = nav.site;
  const steps = site && flow.state.siteId === site.id ? (flow.state.view?.steps ?? null) : null;
  const { stages, next } = journey({ hasSite: !!site, signedIn: !!visit.account, steps, exported: !!site && visit.exported(site.id) });
  const allDone = Object.values(stages).every((s) => s === 'done');
  // An existing registration waits to be chosen: that is the fix to make first (not Apply, which would make a new one).
  const choosing = next === 'fix' && !!steps && groupProblems(steps).some((p) => p.action === 'choose');
  const busy = !isSettled(flow.state);

  const go = (stage: Stage) => {
    if (!site && stage !== 'site') return;
    nav.go(SCREEN[stage]);
    if (stage === 'prove') flow.focusStep('proof.token');
  };
  const doNext = () => {
    if (allDone) {
      nav.go('checklist');
      return flow.checkServer();
    }
    if (next === 'site') return nav.go('sites');
    go(next);
    if (next === 'check') flow.verify();
    if (next === 'fix' && choosing) {
      setTimeout(() => document.querySelector('[data-testid="existing-registrations"]')?.scrollIntoView({ block: 'start' }), 0);
      return;
    }
    if (next === 'fix') flow.plan();
    if (next === 'prove') flow.askProof();
  };
  const nextLabel = allDone ? 'Check ICE Server' : choosing ? 'Choose the registration' : NEXT[next];

  return (
    <nav className={styles.bar} aria-label="Progress of this visit" data-testid="journey" data-next={allDone ? 'done' : next}>
      <ol className={styles.stages}>
        {(Object.keys(LABEL) as Stage[]).map((s, i) => (
          <li key={s} style={{ display: 'flex', alignItems: 'center', gap: 2 }}>
            {i > 0 && (
              <span className={styles.sep} aria-hidden>
                ›
              </span>
            )}
            <Tooltip content={`${LABEL[s]}: ${STATE_WORDS[stages[s]]}`} relationship="description">
              <button
                type="button"
                className={mergeClasses(styles.stage, stages[s] === 'current' && styles.current)}
                disabled={!site && s !== 'site'}
                aria-current={stages[s] === 'current' ? 'step' : undefined}
                data-testid={`stage-${s}`}
                data-state={stages[s]}
                onClick={() => go(s)}
              >
                <StageIcon state={stages[s]} />
                {LABEL[s]}
              </button>
            </Tooltip>
          </li>
        ))}
      </ol>
      <div className={styles.next}>
        <Text size={200} weight="semibold">
          Next:
        </Text>
        <Button
          appearance="primary"
          size="small"
          icon={<ArrowRightRegular />}
          iconPosition="after"
          disabled={busy}
          onClick={doNext}
          data-testid="journey-next"
        >
          {nextLabel}
        </Button>
      </div>
    </nav>
  );
}
