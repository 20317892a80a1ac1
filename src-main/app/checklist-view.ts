// A run's step results + the catalog's annotations = what the Checklist and Review screens show.
// Every step id of the contract is present, in catalog order; a step no run reported is `unknown`.
import { CATALOG, portalDeepLink } from '../core/checklist';
import { ICE_VALUE_KEYS, STEP_IDS, type Cloud, type IceValues, type StepResult } from '../core/types';
import type { ChecklistStep, ChecklistView } from '../shared/ipc-contract';

export function emptyValues(): IceValues {
  return Object.fromEntries(ICE_VALUE_KEYS.map((k) => [k, null])) as IceValues;
}

export function buildChecklistView(
  steps: ReadonlyArray<StepResult>,
  values: IceValues | undefined,
  cloud: Cloud | undefined,
  appId: string | undefined,
  notRunReason = 'Not checked yet: sign in and verify, or review an application JSON offline.',
): ChecklistView {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const out: ChecklistStep[] = STEP_IDS.map((id) => {
    const entry = CATALOG[id];
    const r = byId.get(id);
    const base: StepResult = r ?? { id, status: 'unknown', title: entry.title, found: notRunReason, expected: '', fix: '' };
    const link = cloud ? portalDeepLink(id, cloud, appId) : null;
    const step: ChecklistStep = {
      ...base,
      title: base.title || entry.title,
      guideStep: entry.guideStep,
      portalLocation: entry.portalLocation,
      why: entry.why,
    };
    if (link) step.portalUrl = link;
    return step;
  });
  return { steps: out, values: values ?? emptyValues() };
}
