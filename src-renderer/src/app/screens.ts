// The feature screens, each its own chunk loaded on first use: the shell (header, navigation) draws first, then only
// the screen shown. The first screen (Sites) is fetched at once, in parallel with the shell's first render.
import { lazy } from 'react';

const sites = import('../features/sites/SitesScreen');
export const SitesScreen = lazy(() => sites.then((m) => ({ default: m.SitesScreen })));
export const SetupScreen = lazy(() => import('../features/setup/SetupScreen').then((m) => ({ default: m.SetupScreen })));
export const SignInScreen = lazy(() => import('../features/signin/SignInScreen').then((m) => ({ default: m.SignInScreen })));
export const ChecklistScreen = lazy(() => import('../features/checklist/ChecklistScreen').then((m) => ({ default: m.ChecklistScreen })));
export const ValuesScreen = lazy(() => import('../features/values/ValuesScreen').then((m) => ({ default: m.ValuesScreen })));
export const ExportScreen = lazy(() => import('../features/export/ExportScreen').then((m) => ({ default: m.ExportScreen })));
export const ReviewScreen = lazy(() => import('../features/review/ReviewScreen').then((m) => ({ default: m.ReviewScreen })));
