// Each planned Graph write said the way the Azure portal shows it: the blade, the setting on it, and what is
// added, removed or set ("API permissions: remove Microsoft Graph › User.Read"; "Authentication › Single-page
// application: add https://ice2.example/sso"). The apply preview leads with these lines; the HTTP request
// stays one click away. Pure: a planned write and what was read before it, nothing else.
import { GRAPH_PERMISSION_NAMES, MICROSOFT_GRAPH_APP_ID, grantScopes, parseGroupMembershipClaims } from './desired';
import type { GraphApplication, GraphOAuth2PermissionGrant, GraphOptionalClaim, GraphPermissionScope, GraphRequiredResourceAccess, PlannedWrite, PortalAction, PortalChange, WriteDescription } from './types';

export type { PortalAction, PortalChange, WriteDescription };

export interface DescribeContext {
  /** The application as read before the plan (null: it does not exist yet). */
  application: GraphApplication | null;
  /** The display name the registration has or gets. */
  displayName: string;
  /** Grants read with the plan (to name what a revoked grant held). */
  grants?: GraphOAuth2PermissionGrant[] | null;
  /** Microsoft Graph's service principal id in the tenant. */
  graphServicePrincipalId?: string;
  /** Scope ids → values, from every write of the plan (the own scope is created by one write, requested by the next). */
  scopeNames?: Record<string, string>;
}

const AUDIENCES: Record<string, string> = {
  AzureADMyOrg: 'Accounts in this organizational directory only',
  AzureADMultipleOrgs: 'Accounts in any organizational directory',
  AzureADandPersonalMicrosoftAccount: 'Accounts in any organizational directory and personal Microsoft accounts',
  PersonalMicrosoftAccount: 'Personal Microsoft accounts only',
};

const GROUP_LABELS: Record<string, string> = { SecurityGroup: 'Security groups', DirectoryRole: 'Directory roles', ApplicationGroup: 'Groups assigned to the application', All: 'All groups' };

const TOKEN_KINDS: Record<string, string> = { accessToken: 'Access', idToken: 'ID', saml2Token: 'SAML' };

/** Placeholders the engine fills in, in words. */
function readable(s: string): string {
  return s.replace(/\{appId\}/g, '<client id>').replace(/\{appObjectId\}/g, '<object id>').replace(/\{servicePrincipalId\}/g, '<service principal id>');
}

function line(blade: string, setting: string | undefined, action: PortalAction, items: string[]): PortalChange {
  const where = setting ? `${blade} › ${setting}` : blade;
  const verb = action === 'set' ? 'set to' : action;
  return { blade, ...(setting ? { setting } : {}), action, items, text: `${where}: ${verb}${items.length ? ` ${items.join(', ')}` : ''}` };
}

const norm = (s: string) => s.trim().toLowerCase();

function listDiff(before: readonly string[] | undefined | null, after: readonly string[] | undefined | null): { added: string[]; removed: string[] } {
  const b = before ?? [];
  const a = after ?? [];
  return {
    added: a.filter((x) => !b.some((y) => norm(y) === norm(x))),
    removed: b.filter((x) => !a.some((y) => norm(y) === norm(x))),
  };
}

function addRemove(out: PortalChange[], blade: string, setting: string, before: readonly string[] | undefined | null, after: readonly string[] | undefined | null): void {
  const { added, removed } = listDiff(before, after);
  if (added.length) out.push(line(blade, setting, 'add', added.map(readable)));
  if (removed.length) out.push(line(blade, setting, 'remove', removed.map(readable)));
}

function apiName(resourceAppId: string, app: GraphApplication | null, ctx: DescribeContext): string {
  if (resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID) return 'Microsoft Graph';
  if (resourceAppId === '{appId}' || (app?.appId && resourceAppId === app.appId)) return `${ctx.displayName} (this app)`;
  return resourceAppId;
}

function permissionName(resourceAppId: string, id: string, ctx: DescribeContext, app: GraphApplication | null): string {
  if (resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID) return GRAPH_PERMISSION_NAMES[id] ?? id;
  const own = ctx.scopeNames?.[id] ?? (app?.api?.oauth2PermissionScopes ?? []).find((s) => s.id === id)?.value;
  return own ?? id;
}

function permissions(rra: readonly GraphRequiredResourceAccess[] | undefined | null, app: GraphApplication | null, ctx: DescribeContext): string[] {
  return (rra ?? []).flatMap((r) => (r.resourceAccess ?? []).map((a) => `${apiName(r.resourceAppId, app, ctx)} › ${permissionName(r.resourceAppId, a.id, ctx, app)}${a.type === 'Role' ? ' (application)' : ''}`));
}

function consentWho(s: GraphPermissionScope): string {
  return s.type === 'Admin' ? 'Admins only' : 'Admins and users';
}

function scopes(out: PortalChange[], before: readonly GraphPermissionScope[], after: readonly GraphPermissionScope[]): void {
  for (const s of after) {
    const old = before.find((x) => x.id === s.id);
    const name = s.value ?? s.id;
    if (!old) {
      out.push(line('Expose an API', 'Scopes', 'add', [`${name} (${consentWho(s)}${s.isEnabled === false ? ', disabled' : ''})`]));
      continue;
    }
    if (old.isEnabled !== false && s.isEnabled === false) {
      out.push(line('Expose an API', 'Scopes', 'disable', [name]));
      continue;
    }
    const what: string[] = [];
    if (old.value !== s.value) what.push(`name ${JSON.stringify(old.value)} → ${JSON.stringify(s.value)}`);
    if (old.type !== s.type) what.push(`who can consent: ${consentWho(s)}`);
    if (old.isEnabled === false && s.isEnabled !== false) what.push('enabled');
    const texts = ['adminConsentDisplayName', 'adminConsentDescription', 'userConsentDisplayName', 'userConsentDescription'] as const;
    if (texts.some((t) => (old[t] ?? '') !== (s[t] ?? ''))) what.push('consent texts');
    if (what.length) out.push(line('Expose an API', 'Scopes', 'change', [`${name} (${what.join('; ')})`]));
  }
  for (const old of before) if (!after.some((s) => s.id === old.id)) out.push(line('Expose an API', 'Scopes', 'remove', [old.value ?? old.id]));
}

function claimLabel(c: GraphOptionalClaim): string {
  const props = c.additionalProperties ?? [];
  return props.length ? `${c.name} (${props.join(', ')})` : c.name;
}

function optionalClaims(out: PortalChange[], before: GraphApplication['optionalClaims'], after: NonNullable<GraphApplication['optionalClaims']>): void {
  for (const kind of Object.keys(after) as Array<keyof typeof after>) {
    const a = after[kind] ?? [];
    const b = before?.[kind] ?? [];
    const setting = `Optional claims (${TOKEN_KINDS[kind] ?? kind} token)`;
    const added = a.filter((c) => !b.some((x) => x.name === c.name));
    const removed = b.filter((c) => !a.some((x) => x.name === c.name));
    const changed = a.filter((c) => {
      const old = b.find((x) => x.name === c.name);
      return old && [...(old.additionalProperties ?? [])].sort().join() !== [...(c.additionalProperties ?? [])].sort().join();
    });
    if (added.length) out.push(line('Token configuration', setting, 'add', added.map(claimLabel)));
    if (changed.length) out.push(line('Token configuration', setting, 'change', changed.map(claimLabel)));
    if (removed.length) out.push(line('Token configuration', setting, 'remove', removed.map((c) => c.name)));
  }
}

/** The portal lines of an application body written over `app` (null: a new registration). */
function describeApplication(body: Record<string, unknown>, app: GraphApplication | null, ctx: DescribeContext): PortalChange[] {
  const out: PortalChange[] = [];
  const b = body as GraphApplication;
  if (b.tags) {
    const { added, removed } = listDiff(app?.tags, b.tags);
    if (added.length) out.push(line('Manifest', 'tags', 'add', added));
    if (removed.length) out.push(line('Manifest', 'tags', 'remove', removed));
  }
  if ('displayName' in b && b.displayName !== app?.displayName && app) out.push(line('Branding & properties', 'Name', 'set', [JSON.stringify(b.displayName)]));
  if ('signInAudience' in b && b.signInAudience !== app?.signInAudience) out.push(line('Authentication', 'Supported account types', 'set', [AUDIENCES[b.signInAudience ?? ''] ?? String(b.signInAudience)]));
  if (b.spa) addRemove(out, 'Authentication', 'Single-page application', app?.spa?.redirectUris, b.spa.redirectUris);
  if (b.publicClient) addRemove(out, 'Authentication', 'Mobile and desktop applications', app?.publicClient?.redirectUris, b.publicClient.redirectUris);
  if (b.web) {
    if (b.web.redirectUris) addRemove(out, 'Authentication', 'Web', app?.web?.redirectUris, b.web.redirectUris);
    const g = b.web.implicitGrantSettings;
    const old = app?.web?.implicitGrantSettings;
    if (g && 'enableAccessTokenIssuance' in g && !!g.enableAccessTokenIssuance !== !!old?.enableAccessTokenIssuance) {
      out.push(line('Authentication', 'Implicit grant and hybrid flows', g.enableAccessTokenIssuance ? 'add' : 'remove', ['Access tokens']));
    }
    if (g && 'enableIdTokenIssuance' in g && !!g.enableIdTokenIssuance !== !!old?.enableIdTokenIssuance) {
      out.push(line('Authentication', 'Implicit grant and hybrid flows', g.enableIdTokenIssuance ? 'add' : 'remove', ['ID tokens']));
    }
  }
  if ('isFallbackPublicClient' in b && !!b.isFallbackPublicClient !== !!app?.isFallbackPublicClient) {
    out.push(line('Authentication', 'Allow public client flows', 'set', [b.isFallbackPublicClient ? 'Yes' : 'No']));
  }
  if (b.identifierUris) {
    const { added, removed } = listDiff(app?.identifierUris, b.identifierUris);
    if (added.length && !removed.length && !(app?.identifierUris ?? []).length) out.push(line('Expose an API', 'Application ID URI', 'set', added.map(readable)));
    else addRemove(out, 'Expose an API', 'Application ID URI', app?.identifierUris, b.identifierUris);
  }
  if (b.api) {
    if (b.api.oauth2PermissionScopes) scopes(out, app?.api?.oauth2PermissionScopes ?? [], b.api.oauth2PermissionScopes);
    if ('requestedAccessTokenVersion' in b.api && (b.api.requestedAccessTokenVersion ?? null) !== (app?.api?.requestedAccessTokenVersion ?? null)) {
      out.push(line('Manifest', 'Access token version', 'set', [String(b.api.requestedAccessTokenVersion ?? 'default (v1)')]));
    }
  }
  if (b.requiredResourceAccess) {
    const before = permissions(app?.requiredResourceAccess, app, ctx);
    const after = permissions(b.requiredResourceAccess, app, ctx);
    const { added, removed } = listDiff(before, after);
    if (added.length) out.push(line('API permissions', undefined, 'add', added));
    if (removed.length) out.push(line('API permissions', undefined, 'remove', removed));
  }
  if ('groupMembershipClaims' in b && (b.groupMembershipClaims ?? '') !== (app?.groupMembershipClaims ?? '')) {
    const { types } = parseGroupMembershipClaims(b.groupMembershipClaims);
    out.push(line('Token configuration', 'Groups claim', 'set', types.length ? types.map((t) => GROUP_LABELS[t] ?? t) : ['None']));
  }
  if (b.optionalClaims) optionalClaims(out, app?.optionalClaims, b.optionalClaims);
  return out;
}

/** The application as it will be after the writes so far (to diff the next write against). */
function applyBody(app: GraphApplication | null, body: Record<string, unknown> | undefined): GraphApplication {
  return { ...(app ?? {}), ...(body ?? {}) } as GraphApplication;
}

/** Each write of a plan, in order, in the portal's words. */
export function describePlan(writes: readonly PlannedWrite[], ctx: DescribeContext): WriteDescription[] {
  const scopeNames: Record<string, string> = { ...(ctx.scopeNames ?? {}) };
  for (const w of writes) {
    const s = (w.body as GraphApplication | undefined)?.api?.oauth2PermissionScopes ?? [];
    for (const x of s) if (x.value) scopeNames[x.id] = x.value;
  }
  for (const x of ctx.application?.api?.oauth2PermissionScopes ?? []) if (x.value && !scopeNames[x.id]) scopeNames[x.id] = x.value;
  const c: DescribeContext = { ...ctx, scopeNames };
  let app = ctx.application;
  const appName = `App registration ${JSON.stringify(ctx.displayName)}${app?.appId ? ` (client id ${app.appId})` : ''}`;
  const spName = `Enterprise application ${JSON.stringify(ctx.displayName)}`;
  return writes.map((w): WriteDescription => {
    const body = w.body ?? {};
    if (w.path.startsWith('/applications')) {
      if (w.method === 'PATCH' && w.headers?.Prefer === 'create-if-missing' && !app) {
        const changes = [line('App registrations', undefined, 'register', [JSON.stringify(ctx.displayName)]), ...describeApplication(body, null, c)];
        app = applyBody(null, body);
        return { target: appName, changes };
      }
      const changes = describeApplication(body, app, c);
      app = applyBody(app, body);
      return { target: appName, changes };
    }
    if (w.path === '/servicePrincipals' && w.method === 'POST') {
      return { target: spName, changes: [line('Enterprise applications', undefined, 'create', [`${JSON.stringify(ctx.displayName)} (the service principal the portal makes on Register)`])] };
    }
    if (w.path.startsWith('/oauth2PermissionGrants')) {
      const grant = (ctx.grants ?? []).find((g) => w.path.endsWith(`/${g.id}`));
      if (w.method === 'DELETE') {
        const api = grant && ctx.graphServicePrincipalId && grant.resourceId === ctx.graphServicePrincipalId ? 'Microsoft Graph' : 'another API';
        const names = grant ? grantScopes(grant) : [];
        return {
          target: spName,
          changes: [line('API permissions', 'Admin consent', 'revoke', names.length ? names.map((n) => `${api} › ${n}`) : [`the leftover grant to ${api}`])],
        };
      }
      const scope = typeof body.scope === 'string' ? body.scope.trim().split(/\s+/).filter(Boolean) : [];
      const added = grant ? scope.filter((s) => !grantScopes(grant).includes(s)) : scope;
      return {
        target: spName,
        changes: [line('API permissions', 'Grant admin consent for the organisation', 'grant', added.map((s) => `${ctx.displayName} (this app) › ${s}`))],
      };
    }
    return { target: appName, changes: [] };
  });
}
