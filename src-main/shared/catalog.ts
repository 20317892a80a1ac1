// The catalog data the screens show (pure constants from the core's types): the renderer reaches main only
// through shared/, and this file pulls in no schema library.
export { GROUP_TYPES, ICE_DESKTOP_FIELDS, SIGN_IN_AUDIENCES, SSO_META_KEYS, STEP_STATUSES } from '../core/types';
export type { IceValueKey, IceValues, StepId, StepStatus } from '../core/types';
