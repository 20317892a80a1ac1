// The feature screens, each its own chunk loaded on first use, but the first one. Sites comes with the shell: as a
// lazy screen its first render always suspended (a promise's answer is never synchronous), and React then holds back
// the reveal of a boundary that showed its fallback (up to 300 ms) — the app stood on "Loading…" with everything in.
import { lazy } from 'react';

export { SitesScreen } from '../features/sites/SitesScreen';
export const SetupScreen = lazy(() => import('../features/setup/SetupScreen').then((m) => ({ default: m.SetupScreen })));
export const SignInScreen = lazy(() => import('../features/signin/SignInScreen').then((m) => ({ default: m.SignInScreen })));
export const ChecklistScreen = lazy(() => import('../features/checklist/ChecklistScreen').then((m) => ({ default: m.ChecklistScreen })));
export const ValuesScreen = lazy(() => import('../features/values/ValuesScreen').then((m) => ({ default: m.ValuesScreen })));
export const ExportScreen = lazy(() => import('../features/export/ExportScreen').then((m) => ({ default: m.ExportScreen })));
export const ReviewScreen = lazy(() => import('../features/review/ReviewScreen').then((m) => ({ default: m.ReviewScreen })));
