export type ChromiumFound = { path: string; source: 'env' | 'playwright' | 'system' };
export function findChromium(env?: Record<string, string | undefined>): ChromiumFound | { path: null; tried: string[] };
export const CHROMIUM_ARGS: string[];
