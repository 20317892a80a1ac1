// One entry point for every IPC call (main's ipcMain handler and the e2e harness use it alike):
// known channel, request shape checked, errors turned into a message, secrets never in a response.
import { z } from 'zod';
import { CHANNELS, type Channel, type Req, type Res } from '../shared/ipc-contract';
import { SiteError } from '../sites/store';
import { UserError } from './sites-service';

export type Handlers = { [C in Channel]: (req: Req<C>) => Promise<Res<C>> };

const empty = z.object({}).strict();
const str = (max = 4096) => z.string().max(max);
const draft = z
  .object({
    displayName: str(1000),
    signInAudience: str(200),
    hosts: z.array(str(2000)).max(100),
    scopeValue: str(1000),
    consent: z.enum(['users', 'admins']),
    groupTypes: z.array(str(100)).max(10),
    consentTexts: z.object({
      adminConsentDisplayName: str(),
      adminConsentDescription: str(),
      userConsentDisplayName: str(),
      userConsentDescription: str(),
    }),
    cloud: z.object({
      name: z.enum(['global', 'usgov', 'china', 'custom']),
      loginUrl: str(2000).optional(),
      graphUrl: str(2000).optional(),
      portalUrl: str(2000).optional(),
    }),
  })
  .strict();
const id = z.object({ id: str(300) }).strict();

export const REQUEST_SCHEMAS: { [C in Channel]: z.ZodType } = {
  'app.info': empty,
  'app.openExternal': z.object({ url: str() }).strict(),
  'app.copyText': z.object({ text: str(20000) }).strict(),
  'settings.defaults': empty,
  'settings.validate': z.object({ draft }).strict(),
  'sites.list': empty,
  'sites.create': z.object({ name: str(1000), draft, tenant: str(300).optional() }).strict(),
  'sites.open': id,
  'sites.save': z.object({ id: str(300), draft, tenant: str(300).optional() }).strict(),
  'sites.rename': z.object({ id: str(300), name: str(1000) }).strict(),
  'sites.duplicate': z.object({ id: str(300), name: str(1000) }).strict(),
  'sites.delete': id,
  'sites.import': empty,
  'sites.export': id,
  'auth.status': empty,
  'auth.signIn': z.object({ siteId: str(300), method: z.enum(['device-code', 'browser']), tenant: str(300), trustCloud: z.boolean().optional() }).strict(),
  'auth.cloud': z.object({ siteId: str(300) }).strict(),
  'auth.cancel': empty,
  'auth.signOut': empty,
  'live.verify': z.object({ siteId: str(300) }).strict(),
  'live.apply': z.object({ siteId: str(300), runId: str(100) }).strict(),
  'live.cancel': z.object({ runId: str(100) }).strict(),
  'live.preview': z.object({ siteId: str(300) }).strict(),
  'live.lookupApp': z.object({ siteId: str(300), appId: str(100) }).strict(),
  'live.adopt': z.object({ siteId: str(300), appId: str(100) }).strict(),
  'server.checkSsoMeta': z.object({ siteId: str(300) }).strict(),
  'proof.inWindow': z.object({ siteId: str(300), user: str(300).optional() }).strict(),
  'proof.inBrowser': z.object({ siteId: str(300), user: str(300).optional() }).strict(),
  'proof.paste': z.object({ siteId: str(300), address: str(8192) }).strict(),
  'proof.cancel': empty,
  'review.openFile': z.object({ kind: z.enum(['any', 'bundle', 'application', 'site']), siteId: str(300).optional() }).strict(),
  'review.site': id,
  'review.recheck': empty,
  'bundle.keyInfo': empty,
  'bundle.readiness': z.object({ siteId: str(300) }).strict(),
  'bundle.export': z.object({ siteId: str(300), allowIncomplete: z.boolean().optional(), replace: z.boolean().optional() }).strict(),
  'trust.list': empty,
  'trust.addFingerprint': z.object({ fingerprint: str(200), name: str(200).optional() }).strict(),
  'trust.addFile': z.object({ name: str(200).optional() }).strict(),
  'trust.remove': z.object({ fingerprint: str(200) }).strict(),
};

/** Property names whose string values must never appear in anything sent to the renderer. */
const SECRET_KEYS = /^(access_?token|refresh_?token|id_?token|accessToken|refreshToken|idToken|privateKey|private_key|secret|client_?secret|password|passphrase|d)$/i;

/** Paths of secret-looking properties in a value (JWK private part `d`, tokens...). */
export function secretPaths(value: unknown, at = '$', out: string[] = [], depth = 0): string[] {
  if (depth > 40 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => secretPaths(v, `${at}[${i}]`, out, depth + 1));
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // Only string values: Graph's optionalClaims.accessToken (a list of claims) is configuration, not a token.
    if (SECRET_KEYS.test(k) && typeof v === 'string' && v !== '') out.push(`${at}.${k}`);
    secretPaths(v, `${at}.${k}`, out, depth + 1);
  }
  return out;
}

/** A JWT-looking string (three base64url parts, the first a JSON header) anywhere in the value. */
export function containsJwt(value: unknown): boolean {
  const text = JSON.stringify(value) ?? '';
  return /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(text);
}

function messageOf(e: unknown): string {
  if (e instanceof SiteError || e instanceof UserError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return String(e);
}

export async function dispatch(handlers: Handlers, channel: unknown, req: unknown): Promise<unknown> {
  if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
    return { ok: false, error: `Unknown request "${String(channel).slice(0, 80)}".` };
  }
  const c = channel as Channel;
  const parsed = REQUEST_SCHEMAS[c].safeParse(req ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, error: `Malformed request for ${c}: ${first ? `${first.path.join('.') || '(request)'} ${first.message}` : 'invalid'}.` };
  }
  let res: unknown;
  try {
    res = await (handlers[c] as (r: unknown) => Promise<unknown>)(parsed.data);
  } catch (e) {
    return { ok: false, error: messageOf(e) };
  }
  const leaks = secretPaths(res);
  if (leaks.length || containsJwt(res)) {
    const where = leaks.length ? leaks.slice(0, 3).join(', ') : 'a token-like string';
    return { ok: false, error: `Internal error: the answer to ${c} held a secret (${where}) and was withheld.` };
  }
  return res;
}
