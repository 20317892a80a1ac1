// The apply journal: what a run created and completed, so a run killed half-way resumes and finishes
// without a second registration. Written atomically (temp file + fsync + rename + fsync of the folder).
import { AppError } from '../lib/errors';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic, WriteError } from '../lib/atomic-file';
import { issuePath } from '../lib/zod-issues';

export const JournalSchema = z.object({
  version: z.literal(1),
  tenantId: z.string().min(1),
  uniqueName: z.string().min(1),
  /** The scope id chosen before the first write (kept so a resumed run writes the same one). */
  scopeId: z.string().min(1),
  app: z.object({ objectId: z.string().optional(), appId: z.string().optional() }).default({}),
  servicePrincipalId: z.string().optional(),
  /** Plan keys whose write Graph acknowledged. */
  completed: z.array(z.string()).default([]),
  startedAt: z.string(),
  updatedAt: z.string(),
  finished: z.boolean().default(false),
});
export type Journal = z.infer<typeof JournalSchema>;

export class JournalError extends AppError {
  override name = 'JournalError';
  constructor(message: string) {
    super('graph.journal', message);
  }
}

/** Reads a journal; null when the file does not exist. A damaged file is refused (and left as it is). */
export async function readJournal(file: string): Promise<Journal | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new JournalError(`Cannot read the journal ${file}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new JournalError(`The journal ${file} is not valid JSON (damaged?). It was left untouched: move it away to start afresh.`);
  }
  const parsed = JournalSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new JournalError(
      `The journal ${file} is not an ICE SSO Assistant apply journal (${first ? `${issuePath(first.path) || '(root)'}: ${first.message}` : 'bad shape'}). It was left untouched.`,
    );
  }
  return parsed.data;
}

/** Writes the journal atomically (src-main/lib/atomic-file): a reader sees the old or the new file, never a part. */
export async function writeJournal(file: string, journal: Journal): Promise<void> {
  try {
    await writeFileAtomic(path.resolve(file), JSON.stringify(journal, null, 2) + '\n', { mode: 0o600, mkdir: {} });
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    throw new JournalError(`${e.message} The apply journal could not be saved: free the drive or give another --journal file, then run apply again to resume.`);
  }
}
