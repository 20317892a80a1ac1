// A run's step results + the catalog's annotations = what the Checklist and Review screens show.
// Every step id of the contract is present, in catalog order; a step no run reported is `unknown`.
import { CATALOG, portalDeepLink } from '../core/checklist';
import { ICE_DESKTOP_FIELDS, ICE_VALUE_KEYS, STEP_IDS, type Cloud, type IceValues, type StepResult } from '../core/types';
import type { ChecklistStep, ChecklistView } from '../shared/ipc-contract';

export function emptyValues(): IceValues {
  return Object.fromEntries(ICE_VALUE_KEYS.map((k) => [k, null])) as IceValues;
}

/**
 * The app's own words for results the core words for the CLI (flags, file options, Graph paths), chosen by the
 * result's reason code. The CLI keeps the core's wording.
 */
function inAppWords(step: StepResult, values: IceValues | undefined): Pick<StepResult, 'found' | 'fix'> {
  const missing = ICE_DESKTOP_FIELDS.filter((f) => !values?.[f.key]).map((f) => f.label);
  const known = `${ICE_DESKTOP_FIELDS.length - missing.length} of ${ICE_DESKTOP_FIELDS.length} values known${missing.length ? `; missing: ${missing.join(', ')}` : ''}.`;
  switch (step.reason) {
    case 'sp-not-read':
      return { found: "Service principal not read: an application's JSON alone does not show it. Verify against the tenant reads it.", fix: step.fix };
    case 'sp-missing':
      return { found: step.found, fix: 'Apply creates it; in the portal, opening the app once under Enterprise applications does too.' };
    case 'grants-not-read':
      return { found: "Consent grants not read: an application's JSON alone does not show them. Verify against the tenant reads them.", fix: step.fix };
    case 'grants-not-read-users':
      return { found: 'Users consent for themselves. Leftover Microsoft Graph grants were not checked: Verify against the tenant reads them.', fix: step.fix };
    case 'leftover-grants':
      return {
        found: step.found,
        fix: 'Apply revokes the leftover grants; in the portal: Enterprise applications › this app › Permissions. Removing a permission under API permissions leaves its grant behind.',
      };
    case 'tenant-is-domain':
      return { found: `${known} The tenant is given as a domain; ICE needs the directory (tenant) id, a GUID: Verify against the tenant reads it.`, fix: step.fix };
    case 'tenant-unknown':
      return { found: `${known} The tenant (directory) id is not known: Verify against the tenant reads it.`, fix: step.fix };
    case 'values-follow':
      return { found: step.found, fix: 'Fix the failing steps above: the missing values follow from them.' };
    case 'proof-not-run':
      return { found: 'Not proven yet: reading the registration cannot show it. Prove sign-in signs in as ICE does and checks a real token.', fix: step.fix };
    case 'server-not-run':
      return { found: 'Not checked yet: no ICE Server was asked for the values it uses.', fix: 'Once the ICE Server admin has saved the values: "Check ICE Server" on the Checklist (needs network access to the ICE Server).' };
    case 'choose-existing':
      return step.id === 'register.app'
        ? { found: step.found, fix: 'Choose it under "Use an existing registration" on the Checklist: the assistant then repairs it instead of making a second one.' }
        : { found: step.found, fix: 'Choose the existing registration first ("Use an existing registration" on the Checklist).' };
    case 'server-no-hosts':
      return { found: step.found, fix: 'Add the ICE hosts on the Setup page.' };
    default:
      return { found: step.found, fix: step.fix };
  }
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
      ...inAppWords(base, values),
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
