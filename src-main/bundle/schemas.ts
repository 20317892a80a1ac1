// Shapes of the files inside a bundle (checked at verify, after signature and hashes).
import { z } from 'zod';
import { ICE_DESKTOP_FIELDS, ICE_VALUE_KEYS } from '../core/types';
import { recordedRequestSchema, stepResultSchema } from '../sites/schema';

export const BUNDLE_VERSION = 1;
export const MANIFEST_FORMAT = 'ice-sso-manifest';

/** Files every bundle holds, in archive order; the last three are the signatures (not in the manifest). */
export const CONTENT_FILES = ['summary.html', 'values.json', 'sso-meta.json', 'checklist.json', 'settings.json', 'about.json', 'minisign.pub'] as const;
export const SIGNATURE_FILES = ['manifest.json', 'manifest.jws', 'manifest.json.minisig'] as const;
export const ALL_FILES = [...CONTENT_FILES, ...SIGNATURE_FILES] as const;

const stated = z.string().min(1);
const valuesShape = Object.fromEntries(ICE_VALUE_KEYS.map((k) => [k, stated])) as Record<(typeof ICE_VALUE_KEYS)[number], typeof stated>;

export const valuesFileSchema = z.strictObject({
  format: z.literal('ice-sso-values'),
  values: z.strictObject(valuesShape),
  iceDesktop: z
    .array(z.strictObject({ label: z.string(), key: z.enum(ICE_VALUE_KEYS), entraName: z.string(), value: stated }))
    .length(ICE_DESKTOP_FIELDS.length)
    .refine((a) => a.every((f, i) => f.key === ICE_DESKTOP_FIELDS[i]!.key && f.label === ICE_DESKTOP_FIELDS[i]!.label), 'fields must be in ICE Desktop order with its labels'),
});

export const ssoMetaFileSchema = z.strictObject({ provider: z.literal('azure_ad'), ...valuesShape });

const runInfo = z.strictObject({ kind: z.enum(['audit', 'verify', 'apply']), at: z.iso.datetime({ offset: true }), by: z.string() });

export const checklistFileSchema = z.strictObject({
  format: z.literal('ice-sso-checklist'),
  run: runInfo,
  steps: z.array(stepResultSchema).min(1),
  requests: z.array(recordedRequestSchema).optional(),
});

export const settingsFileSchema = z.strictObject({ format: z.literal('ice-sso-settings'), settings: z.record(z.string(), z.unknown()) });

export const aboutFileSchema = z.strictObject({
  format: z.literal('ice-sso-bundle'),
  bundleVersion: z.literal(BUNDLE_VERSION),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string(),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  site: z.strictObject({ name: z.string() }),
  tenant: z.strictObject({ id: z.string(), domain: z.string().optional() }),
  app: z.strictObject({ appId: z.string(), objectId: z.string().optional() }),
  run: runInfo,
  signer: z.strictObject({ fingerprint: z.string() }),
});

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  bundleVersion: z.literal(BUNDLE_VERSION),
  algorithm: z.literal('SHA-256'),
  files: z.array(z.strictObject({ name: z.string(), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const FILE_SCHEMAS: Partial<Record<(typeof CONTENT_FILES)[number], z.ZodType>> = {
  'values.json': valuesFileSchema,
  'sso-meta.json': ssoMetaFileSchema,
  'checklist.json': checklistFileSchema,
  'settings.json': settingsFileSchema,
  'about.json': aboutFileSchema,
};
