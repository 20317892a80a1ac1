import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Text,
  makeStyles,
  tokens,
  Badge,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { groupProblems, notReadYet } from '../../../../src-main/shared/guidance';
import { OpenRegular } from '@fluentui/react-icons';
import type { ChecklistStep } from '../../../../src-main/shared/ipc-contract';
import { STEP_STATUSES, type StepStatus } from '../../../../src-main/shared/catalog';
import { StatusBadge } from '../../components/StatusBadge';
import { errorOf, invoke } from '../../api';

const useStyles = makeStyles({
  summary: { display: 'flex', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalM, flexWrap: 'wrap' },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, width: '100%' },
  title: { flex: 1, minWidth: 0 },
  id: { color: tokens.colorNeutralForeground3, flexShrink: 0, marginLeft: 'auto' },
  details: {
    display: 'grid',
    gridTemplateColumns: '180px 1fr',
    rowGap: tokens.spacingVerticalS,
    columnGap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalM} 44px`,
  },
  key: { color: tokens.colorNeutralForeground3 },
  item: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
});

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  const styles = useStyles();
  if (children === '' || children === undefined || children === null) return null;
  return (
    <>
      <Text className={styles.key} weight="semibold">
        {label}
      </Text>
      <Text>{children}</Text>
    </>
  );
}

function StepDetails({ step, onError }: { step: ChecklistStep; onError?: (m: string) => void }) {
  const styles = useStyles();
  return (
    <div className={styles.details} data-testid={`step-details-${step.id}`}>
      <Detail label="What the guide asks">{step.expected}</Detail>
      <Detail label="What the tenant has now">{step.found}</Detail>
      <Detail label="Why it matters">{step.why}</Detail>
      <Detail label="Fix">{step.fix}</Detail>
      <Detail label="Guide step">{step.guideStep}</Detail>
      <Detail label="In the portal">{step.portalLocation}</Detail>
      {step.portalUrl && (
        <>
          <span />
          <span>
            <Button
              size="small"
              icon={<OpenRegular />}
              onClick={() =>
                void invoke('app.openExternal', { url: step.portalUrl ?? '' }).then((r) => {
                  if (!r.ok) onError?.(errorOf(r));
                })
              }
            >
              Open in Azure portal
            </Button>
          </span>
        </>
      )}
    </div>
  );
}

export function StatusSummary({ steps }: { steps: ChecklistStep[] }) {
  const styles = useStyles();
  const count = (s: StepStatus) => steps.filter((x) => x.status === s).length;
  const colors: Record<StepStatus, 'success' | 'danger' | 'warning' | 'informative' | 'subtle'> = {
    pass: 'success',
    fail: 'danger',
    warn: 'warning',
    info: 'informative',
    unknown: 'subtle',
  };
  return (
    <div className={styles.summary} data-testid="status-summary">
      {STEP_STATUSES.map((s) => (
        <Badge
          key={s}
          appearance={count(s) ? 'filled' : 'outline'}
          color={count(s) ? colors[s] : 'informative'}
          size="large"
          data-count={count(s)}
          data-summary={s}
        >
          {count(s)} {s}
        </Badge>
      ))}
    </div>
  );
}

/**
 * The steps that open by themselves after every run: the root of each problem (a step that only follows from
 * another stays closed: its cause is open above it). Nothing opens before anything was read.
 */
export function problemIds(steps: ChecklistStep[]): string[] {
  if (notReadYet(steps)) return [];
  return groupProblems(steps)
    .filter((p) => p.status !== 'unknown')
    .map((p) => p.root);
}

/**
 * Every step with its status, titles first; problem roots open after every run (controlled: what is open
 * depends on the latest result and what the user opened since, never on navigation history).
 * `resetKey` changes after each run; `focus` opens one step and scrolls to it.
 */
export function ChecklistList({
  steps,
  onError,
  resetKey,
  focus,
}: {
  steps: ChecklistStep[];
  onError?: (m: string) => void;
  resetKey?: number | string;
  focus?: { id: string; n: number } | null;
}) {
  const styles = useStyles();
  const [held, setHeld] = useState<{ steps: ChecklistStep[]; resetKey: unknown; focus: unknown; open: string[] }>(() => ({ steps, resetKey, focus, open: problemIds(steps) }));
  let open = held.open;
  if (held.steps !== steps || held.resetKey !== resetKey) {
    open = problemIds(steps);
    setHeld({ steps, resetKey, focus, open });
  } else if (focus && held.focus !== focus) {
    open = open.includes(focus.id) ? open : [...open, focus.id];
    setHeld({ ...held, focus, open });
  }
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!focus) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-step-id="${CSS.escape(focus.id)}"]`);
    el?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    el?.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
  }, [focus]);
  return (
    <Accordion
      ref={listRef}
      multiple
      collapsible
      openItems={open}
      onToggle={(_e, d) => setHeld((h) => ({ ...h, open: d.openItems.map(String) }))}
      data-testid="checklist"
    >
      {steps.map((s) => (
        <AccordionItem key={s.id} value={s.id} className={styles.item} data-testid="step" data-step-id={s.id} data-status={s.status}>
          <AccordionHeader expandIconPosition="start">
            <div className={styles.head}>
              <StatusBadge status={s.status} />
              <Text weight="semibold" className={styles.title}>
                {s.title}
              </Text>
              <Text font="monospace" size={200} className={styles.id}>
                {s.id}
              </Text>
            </div>
          </AccordionHeader>
          <AccordionPanel>
            <StepDetails step={s} {...(onError ? { onError } : {})} />
          </AccordionPanel>
        </AccordionItem>
      ))}
    </Accordion>
  );
}
