// The eight values the ICE administrator types into ICE Desktop (docs/ice-server-fields.md).
import { nativeClientRedirect } from './clouds';
import { defaultIdentifierUri, findScope, sameRedirectUri } from './desired';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Is this a directory (tenant) id, i.e. a GUID (not a domain name)? */
export function isTenantId(t: string | null | undefined): t is string {
  return typeof t === 'string' && GUID.test(t.trim());
}
import type { GraphApplication, IceValues, Settings } from './types';

/** ICE's "Audience": the Application ID URI, preferring the default api://<appId> when several are set. */
export function applicationIdUri(app: GraphApplication | null | undefined): string | null {
  const uris = app?.identifierUris ?? [];
  if (uris.length === 0) return null;
  if (app?.appId) {
    const d = uris.find((u) => u.toLowerCase() === defaultIdentifierUri(app.appId as string).toLowerCase());
    if (d) return d;
  }
  return uris[0] ?? null;
}

/**
 * The eight ICE values for this app. A value is null while it cannot be stated: no app, no tenant id (GUID),
 * or the app lacks what the value names (no Application ID URI, no nativeclient redirect, no enabled scope).
 */
export function iceValues(settings: Settings, app: GraphApplication | null, tenantId?: string): IceValues {
  const login = settings.cloud.loginUrl.replace(/\/+$/, '');
  // ICE's "Tenant ID" is the directory id; a domain name would work in URLs but not there, so all five
  // tenant-derived values wait for the GUID.
  const t = isTenantId(tenantId) ? tenantId.trim().toLowerCase() : null;
  const audience = applicationIdUri(app);
  const native = nativeClientRedirect(settings.cloud);
  const hasNative = (app?.publicClient?.redirectUris ?? []).some((u) => sameRedirectUri(u, native));
  const scope = findScope(app, settings.scopeValue);
  const scopeOk = scope !== undefined && scope.isEnabled !== false && scope.value === settings.scopeValue;
  return {
    audience,
    authorizationUrl: t ? `${login}/${t}/oauth2/v2.0/authorize` : null,
    tokenUrl: t ? `${login}/${t}/oauth2/v2.0/token` : null,
    redirectUrl: hasNative ? native : null,
    tenantId: t,
    clientId: app?.appId ?? null,
    openIdConfUrl: t ? `${login}/${t}/v2.0/.well-known/openid-configuration` : null,
    scope: audience && scopeOk ? `${audience.replace(/\/+$/, '')}/${settings.scopeValue}` : null,
  };
}
