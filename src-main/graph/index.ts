// Public API of the live-tenant layer (CLI and desktop app): sessions, verify/apply, journal, errors.
export { openSession, type Session, type SessionOptions } from './session';
export { apply, verify, rounds, type ApplyOptions, type ApplyResult, type AppIds, type ProgressEvent, type RunOptions, type VerifyResult } from './engine';
export { GraphAccess, DEFAULT_RETRY, emptyStats, type BatchAnswer, type BatchItem, type CallOptions, type GraphStats, type RetryPolicy } from './http';
export { GraphRequestError, httpError, permissionFor, type GraphFailureKind } from './errors';
export { readJournal, writeJournal, JournalError, type Journal } from './journal';
export { APP_TAG, APP_SELECT, deriveUniqueName, readTenant, type AppHint, type FoundBy } from './read';
