// The saved-site document: zod schemas per version and the forward migration chain.
//
// Version 0 ("site" + flat ids + one lastRun) was the first format; version 1 is current.
// To grow the schema: add SiteV2, a migration 1 -> 2 in MIGRATIONS, bump SITE_SCHEMA_VERSION.
import { z } from 'zod';
import { ICE_VALUE_KEYS, STEP_REASONS, STEP_STATUSES, type RunRecord, type StepId, type StepResult, type IceValues } from '../core/types';

export const SITE_FORMAT = 'ice-sso-site';
export const SITE_SCHEMA_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });

export const stepResultSchema = z.object({
  // Any non-empty id: a newer tool may add steps (ids are only ever added, never renamed).
  id: z
    .string()
    .min(1)
    .transform((s) => s as StepId),
  status: z.enum(STEP_STATUSES),
  title: z.string(),
  found: z.string(),
  expected: z.string(),
  fix: z.string(),
  // Added later: a code for front-end wording (an unknown one from a newer tool is dropped).
  reason: z.enum(STEP_REASONS).optional().catch(undefined),
});

const valueSchema = z.string().nullable();
export const iceValuesSchema = z.object(
  Object.fromEntries(ICE_VALUE_KEYS.map((k) => [k, valueSchema])) as Record<(typeof ICE_VALUE_KEYS)[number], typeof valueSchema>,
);

export const recordedRequestSchema = z.object({
  method: z.string().min(1),
  path: z.string(),
  status: z.number().int(),
  body: z.unknown().optional(),
});

export const runRecordSchema = z.object({
  kind: z.enum(['audit', 'verify', 'apply']),
  at: isoTime,
  by: z.string(),
  tenantId: z.string().optional(),
  app: z.object({ objectId: z.string().optional(), appId: z.string().optional() }).optional(),
  steps: z.array(stepResultSchema),
  values: iceValuesSchema,
  requests: z.array(recordedRequestSchema).optional(),
  check: z.enum(['proof', 'server']).optional(),
});

export const lastResultSchema = stepResultSchema.extend({ at: isoTime, kind: z.enum(['audit', 'verify', 'apply']) });

// Loose at the top level: fields a newer version adds survive a save by this version (never a silent drop).
export const siteV1Schema = z.looseObject({
  format: z.literal(SITE_FORMAT),
  schemaVersion: z.literal(1),
  name: z.string().trim().min(1, 'the site needs a name').max(200),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Settings as a field engineer gave them (SettingsInput); parsed by the core's settings schema when used. */
  settings: z.record(z.string(), z.unknown()),
  tenant: z.object({ id: z.string().min(1).optional(), domain: z.string().min(1).optional() }),
  app: z.object({
    objectId: z.string().min(1).optional(),
    appId: z.string().min(1).optional(),
    uniqueName: z.string().min(1).optional(),
    scopeId: z.string().min(1).optional(),
  }),
  /** How to sign in to this site's tenant: the public client id (the cloud is in the settings). */
  signIn: z.object({ clientId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'the sign-in client id must be a GUID').optional() }).optional(),
  /** The last result of each step id, from whichever run last reported it. */
  lastResults: z.record(z.string(), lastResultSchema),
  history: z.array(runRecordSchema),
});

export type SiteDocument = z.infer<typeof siteV1Schema>;
export type LastResult = StepResult & { at: string; kind: RunRecord['kind'] };

// ---- version 0 (the first format) ----

export const siteV0Schema = z.object({
  format: z.literal(SITE_FORMAT),
  version: z.literal(0),
  site: z.string().min(1),
  settings: z.record(z.string(), z.unknown()),
  tenantId: z.string().optional(),
  appId: z.string().optional(),
  objectId: z.string().optional(),
  lastRun: runRecordSchema.optional(),
});
export type SiteV0 = z.infer<typeof siteV0Schema>;

function migrate0to1(doc: unknown, now: string): unknown {
  const v0 = siteV0Schema.parse(doc);
  const history = v0.lastRun ? [v0.lastRun] : [];
  const lastResults: Record<string, LastResult> = {};
  for (const run of history) for (const s of run.steps) lastResults[s.id] = { ...(s as StepResult), at: run.at, kind: run.kind };
  const stamp = v0.lastRun?.at ?? now;
  return {
    format: SITE_FORMAT,
    schemaVersion: 1,
    name: v0.site,
    createdAt: stamp,
    updatedAt: stamp,
    settings: v0.settings,
    tenant: v0.tenantId ? { id: v0.tenantId } : {},
    app: { ...(v0.objectId ? { objectId: v0.objectId } : {}), ...(v0.appId ? { appId: v0.appId } : {}) },
    lastResults,
    history,
  };
}

/** MIGRATIONS[n] turns a version-n document into version n+1. */
export const MIGRATIONS: ReadonlyArray<(doc: unknown, now: string) => unknown> = [migrate0to1];

/** The version a parsed JSON value claims: v1+ use `schemaVersion`, v0 used `version`. */
export function claimedVersion(doc: Record<string, unknown>): number | undefined {
  const v = doc.schemaVersion ?? doc.version;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

export type { RunRecord, StepResult, IceValues };
