// Shapes of the files inside a bundle (checked at verify, after signature and hashes).
import { z } from 'zod';
import { ICE_DESKTOP_FIELDS, ICE_VALUE_KEYS } from '../core/types';
import { recordedRequestSchema, stepResultSchema } from '../sites/schema';

/** 2: 128-bit fingerprints, SHA256SUMS signed with minisign, steps with their time, summary re-rendered at verify. */
export const BUNDLE_VERSION = 2;
/** The summary.html template version: verify re-renders summary.html with it and compares the bytes. */
export const SUMMARY_TEMPLATE = 1;
export const MANIFEST_FORMAT = 'ice-sso-manifest';

/**
 * Files every bundle holds, in archive order; the signature files are not in the manifest. The signer's
 * public key is deliberately NOT in the bundle as a file: the admin checks with the key the engineer gave.
 */
export const CONTENT_FILES = ['summary.html', 'values.json', 'sso-meta.json', 'checklist.json', 'settings.json', 'about.json'] as const;
export const SIGNATURE_FILES = ['manifest.json', 'SHA256SUMS', 'SHA256SUMS.minisig', 'manifest.jws'] as const;
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

/** A step as evidence: its latest result across runs, with the time and kind of the run that produced it. */
export const evidenceStepSchema = z.strictObject({
  ...stepResultSchema.shape,
  at: z.iso.datetime({ offset: true }),
  kind: z.enum(['audit', 'verify', 'apply']),
});

export const checklistFileSchema = z.strictObject({
  format: z.literal('ice-sso-checklist'),
  run: runInfo,
  steps: z.array(evidenceStepSchema).min(1),
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
  signer: z.strictObject({ fingerprint: z.string(), keyId: z.string() }),
  summary: z.strictObject({ template: z.number().int() }),
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
