// zod validation issues in words: where (`hosts[0]`, `app.appId`) and what is wrong.
import type { z } from 'zod';

/** A zod issue path as people write it: `a.b[2].c` (empty for the document itself). */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** "field a.b: message; field c: message; and N more" (at most `max` issues). */
export function formatZodIssues(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((i) => `field ${issuePath(i.path) || '(document)'}: ${i.message}`);
  if (error.issues.length > max) parts.push(`and ${error.issues.length - max} more`);
  return parts.join('; ');
}
