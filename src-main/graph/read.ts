// Reading what the checklist needs from the tenant: the app ($select only the audited properties), its
// service principal and its grants, in one $batch when the app's appId is known.
import { createHash } from 'node:crypto';
import { MICROSOFT_GRAPH_APP_ID } from '../core/desired';
import type { GraphApplication, GraphOAuth2PermissionGrant, GraphServicePrincipal, Observed } from '../core/types';
import { httpError } from './errors';
import type { BatchAnswer, BatchItem, GraphAccess } from './http';
import { AppError } from '../lib/errors';

/** The tag the assistant puts on apps it creates (found again by display name + tag as a last resort). */
export const APP_TAG = 'ice-sso-assistant';

/** Application properties the checklist reads (and the ones that identify the app). */
export const APP_SELECT = [
  'id',
  'appId',
  'displayName',
  'uniqueName',
  'signInAudience',
  'identifierUris',
  'isFallbackPublicClient',
  'groupMembershipClaims',
  'tags',
  'api',
  'publicClient',
  'spa',
  'web',
  'requiredResourceAccess',
  'optionalClaims',
  'createdDateTime',
].join(',');

const SP_SELECT = 'id,appId,displayName';

/** How to find the app, best first: saved object id, appId, uniqueName, then display name + tag. */
export interface AppHint {
  objectId?: string;
  appId?: string;
  uniqueName?: string;
  displayName?: string;
  /** The ids come from a run moments ago (journal): a 404 may be replication lag, so retry a while. */
  recent?: boolean;
  /** With `recent`: the service principal that run created (a 404 for it is then lag, not absence). */
  servicePrincipalId?: string;
}

export type FoundBy = 'objectId' | 'appId' | 'uniqueName' | 'tag' | null;

export interface ReadResult {
  observed: Observed;
  foundBy: FoundBy;
  /** Existing registrations that look like ICE's, when none of ours was found (empty otherwise). */
  candidates: Candidate[];
}

/** What ICE's registration has, to recognise one made by hand (see candidateTraits). */
export interface CandidateProbe {
  displayName: string;
  /** The settings' SPA redirect URIs (https://<host>/sso). */
  hosts: string[];
  scopeValue: string;
  /** The native-client redirect URI of the cloud. */
  nativeRedirect: string;
}

/** An existing registration that looks like ICE's but was not made (or adopted) by the assistant. */
export interface Candidate {
  appId: string;
  objectId: string;
  displayName: string;
  createdDateTime: string | null;
  /** ICE traits it has: displayName, spaRedirectUri, scope, nativeRedirect, identifierUri. */
  matches: string[];
  /** The same traits in words, e.g. 'SPA redirect URI https://dc1.example.com/sso'. */
  details: string[];
}

/** Whether the assistant may write to this app: it made it (its tag or uniqueName) or it was adopted (its tag). */
export function isAssistantApp(app: GraphApplication | null | undefined): boolean {
  if (!app) return false;
  return (app.tags ?? []).includes(APP_TAG) || /^ice-sso-/.test(app.uniqueName ?? '');
}

/** Which of ICE's traits an app has. */
export function candidateTraits(app: GraphApplication, probe: CandidateProbe): { matches: string[]; details: string[] } {
  const matches: string[] = [];
  const details: string[] = [];
  if ((app.displayName ?? '').trim().toLowerCase() === probe.displayName.trim().toLowerCase()) {
    matches.push('displayName');
    details.push(`the display name "${app.displayName}"`);
  }
  const spa = (app.spa?.redirectUris ?? []).map((u) => u.replace(/\/+$/, '').toLowerCase());
  const hosts = probe.hosts.filter((h) => spa.includes(h.replace(/\/+$/, '').toLowerCase()));
  if (hosts.length) {
    matches.push('spaRedirectUri');
    details.push(`SPA redirect URI${hosts.length > 1 ? 's' : ''} ${hosts.join(', ')}`);
  }
  const scope = (app.api?.oauth2PermissionScopes ?? []).find((x) => x.value === probe.scopeValue);
  if (scope) {
    matches.push('scope');
    details.push(`the scope ${probe.scopeValue}`);
  }
  if ((app.publicClient?.redirectUris ?? []).some((u) => u.toLowerCase() === probe.nativeRedirect.toLowerCase())) {
    matches.push('nativeRedirect');
    details.push(`the redirect URI ${probe.nativeRedirect}`);
  }
  if (app.appId && (app.identifierUris ?? []).includes(`api://${app.appId}`)) {
    matches.push('identifierUri');
    details.push(`the Application ID URI api://${app.appId}`);
  }
  return { matches, details };
}

/** `"<displayName>" (client id <appId>)`: how a registration is named to the user. */
export function nameApp(a: { displayName?: string | null; appId?: string | null }): string {
  return `"${a.displayName ?? '(no name)'}" (client id ${a.appId ?? '?'})`;
}

/** --object-id and --app-id (or a site's ids) name two different registrations. */
export class AppChoiceError extends AppError {
  override name = 'AppChoiceError';
  constructor(message: string) {
    super('usage', message);
  }
}

/** A stable uniqueName for the app: ice-sso-<slug of display name>-<8 hex of the tenant id's SHA-256>. */
export function deriveUniqueName(displayName: string, tenantId: string): string {
  const slug =
    displayName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/g, '') || 'app';
  const hash = createHash('sha256').update(tenantId.trim().toLowerCase()).digest('hex').slice(0, 8);
  return `ice-sso-${slug}-${hash}`;
}

/** OData string literal: single quotes doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function keyPath(kind: 'objectId' | 'appId' | 'uniqueName', value: string): string {
  if (kind === 'objectId') return `/applications/${encodeURIComponent(value)}`;
  return `/applications(${kind}=${encodeURIComponent(odataString(value))})`;
}

function ok(a: BatchAnswer | undefined): boolean {
  return !!a && a.status >= 200 && a.status < 300;
}

function missing(a: BatchAnswer | undefined): boolean {
  return !!a && a.status === 404;
}

function fail(graph: GraphAccess, item: BatchItem, a: BatchAnswer | undefined): never {
  throw httpError(item.method, item.url, a?.status ?? 0, a?.body ?? null, graph.grantedScopes());
}

function spItems(appId: string, readGrants: boolean, lag: boolean): BatchItem[] {
  const key = `/servicePrincipals(appId=${encodeURIComponent(odataString(appId))})`;
  const items: BatchItem[] = [{ id: 'sp', method: 'GET', url: `${key}?$select=${SP_SELECT}`, lagRetry: lag }];
  if (readGrants) {
    items.push({ id: 'grants', method: 'GET', url: `${key}/oauth2PermissionGrants` });
    items.push({ id: 'graphSp', method: 'GET', url: `/servicePrincipals(appId=${odataString(MICROSOFT_GRAPH_APP_ID)})?$select=id` });
  }
  return items;
}

function takeSp(graph: GraphAccess, observed: Observed, items: BatchItem[], answers: Map<string, BatchAnswer>): void {
  const sp = answers.get('sp');
  const spItem = items.find((i) => i.id === 'sp')!;
  if (ok(sp)) observed.servicePrincipal = sp!.body as GraphServicePrincipal;
  else if (missing(sp)) observed.servicePrincipal = null;
  else fail(graph, spItem, sp);
  const grantsItem = items.find((i) => i.id === 'grants');
  if (grantsItem) {
    const g = answers.get('grants');
    if (ok(g)) observed.grants = ((g!.body as { value?: GraphOAuth2PermissionGrant[] })?.value ?? []) as GraphOAuth2PermissionGrant[];
    else if (missing(g) || observed.servicePrincipal === null) observed.grants = [];
    else fail(graph, grantsItem, g);
    const gs = answers.get('graphSp');
    if (ok(gs)) {
      const id = (gs!.body as { id?: string })?.id;
      if (id) observed.graphServicePrincipalId = id;
    }
  }
}

/**
 * Reads the app (found by the hint), its service principal and (when `readGrants`) its grants.
 * One round trip when the hint has the appId; two when only the object id or uniqueName is known and the app exists.
 */
export async function readTenant(
  graph: GraphAccess,
  hint: AppHint,
  opts: { tenantId: string; readGrants: boolean; signal?: AbortSignal; probe?: CandidateProbe },
): Promise<ReadResult> {
  const observed: Observed = { application: null, tenantId: opts.tenantId };
  let candidates: Candidate[] = [];
  const lag = !!hint.recent;
  const spLag = lag && !!hint.servicePrincipalId;
  const items: BatchItem[] = [];
  let by: Exclude<FoundBy, null | 'tag'> | null = null;
  if (hint.objectId) by = 'objectId';
  else if (hint.appId) by = 'appId';
  else if (hint.uniqueName) by = 'uniqueName';
  if (by) items.push({ id: 'app', method: 'GET', url: `${keyPath(by, hint[by]!)}?$select=${APP_SELECT}`, lagRetry: lag });
  const appIdKnown = hint.appId;
  if (appIdKnown) items.push(...spItems(appIdKnown, opts.readGrants, spLag));
  const searchByName = !hint.objectId && !hint.appId && !!hint.displayName;
  if (searchByName) {
    // displayName supports eq as a default query (https://learn.microsoft.com/graph/aad-advanced-queries, Application properties).
    items.push({
      id: 'byName',
      method: 'GET',
      url: `/applications?$filter=${encodeURIComponent(`displayName eq ${odataString(hint.displayName!)}`)}&$select=${APP_SELECT}`,
    });
  }
  // The assistant's registrations (its tag) whatever their name: one adopted or renamed is found again by its tag and
  // ICE hosts. tags/any(t:t eq …) is a default query (same page, Application properties).
  if (searchByName) {
    items.push({
      id: 'byTag',
      method: 'GET',
      url: `/applications?$filter=${encodeURIComponent(`tags/any(t:t eq ${odataString(APP_TAG)})`)}&$select=${APP_SELECT}`,
    });
  }
  // Candidates made by hand, found in the same round trip: by ICE's SPA redirect URIs. spa/redirectUris/any(p:p eq …)
  // is an advanced query (ConsistencyLevel: eventual and $count=true; same page, Application properties).
  // identifierUris/any supports eq/startsWith by default, but ICE's URI is api://<its own appId>, unknown before the
  // app is found, so it is checked on what the queries return (candidateTraits) rather than filtered on.
  const probeHosts = (opts.probe?.hosts ?? []).slice(0, 10);
  if (searchByName && probeHosts.length) {
    const filter = probeHosts.map((h) => `spa/redirectUris/any(p:p eq ${odataString(h)})`).join(' or ');
    items.push({
      id: 'bySpa',
      method: 'GET',
      url: `/applications?$filter=${encodeURIComponent(filter)}&$count=true&$select=${APP_SELECT}`,
      headers: { ConsistencyLevel: 'eventual' },
    });
  }
  if (!items.length) return { observed, foundBy: null, candidates };
  const answers = await graph.batch(items, { signal: opts.signal });
  let foundBy: FoundBy = null;
  const appAnswer = answers.get('app');
  if (by) {
    if (ok(appAnswer)) {
      observed.application = appAnswer!.body as GraphApplication;
      foundBy = by;
    } else if (!missing(appAnswer)) fail(graph, items.find((i) => i.id === 'app')!, appAnswer);
  }
  if (observed.application && by === 'objectId' && hint.appId && observed.application.appId && observed.application.appId.toLowerCase() !== hint.appId.toLowerCase()) {
    throw new AppChoiceError(
      `The object id ${hint.objectId} is the registration ${nameApp(observed.application)}, but the client id given is ${hint.appId}: ` +
        'they name two different registrations. Give only one of --object-id and --app-id (or correct the one that is wrong).',
    );
  }
  let named: GraphApplication[] = [];
  if (!observed.application && searchByName) {
    const list = answers.get('byName');
    if (ok(list)) {
      named = (list!.body as { value?: GraphApplication[] })?.value ?? [];
      const apps = named.filter((a) => (a.tags ?? []).includes(APP_TAG));
      if (apps.length === 1) {
        observed.application = apps[0]!;
        foundBy = 'tag';
      }
    } else if (!missing(list)) fail(graph, items.find((i) => i.id === 'byName')!, list);
  }
  if (!observed.application && searchByName && opts.probe?.hosts.length) {
    // An adopted (or renamed) registration: the one tagged app that serves this site's ICE hosts.
    const tagged = answers.get('byTag');
    if (ok(tagged)) {
      const hosts = opts.probe.hosts.map((h) => h.toLowerCase());
      // Apps the assistant created carry their own uniqueName (found by it, under their own name); an adopted one has none.
      const serving = ((tagged!.body as { value?: GraphApplication[] })?.value ?? []).filter(
        (a) => !/^ice-sso-/.test(a.uniqueName ?? '') && (a.spa?.redirectUris ?? []).some((u) => hosts.includes(u.replace(/\/+$/, '').toLowerCase())),
      );
      if (serving.length === 1) {
        observed.application = serving[0]!;
        foundBy = 'tag';
      }
    }
  }
  if (!observed.application && searchByName && opts.probe) {
    const spaList = answers.get('bySpa');
    const bySpa = ok(spaList) ? ((spaList!.body as { value?: GraphApplication[] })?.value ?? []) : [];
    const seen = new Set<string>();
    for (const a of [...named, ...bySpa]) {
      if (!a.id || !a.appId || seen.has(a.id)) continue;
      seen.add(a.id);
      // The assistant's own registrations (its tag) under another name belong to other sites: not candidates.
      if (isAssistantApp(a)) continue;
      const t = candidateTraits(a, opts.probe);
      if (!t.matches.length) continue;
      candidates.push({
        appId: a.appId,
        objectId: a.id,
        displayName: a.displayName ?? '',
        createdDateTime: (a as { createdDateTime?: string | null }).createdDateTime ?? null,
        ...t,
      });
    }
    candidates = candidates.sort((x, y) => y.matches.length - x.matches.length);
    if (candidates.length) observed.candidates = candidates;
  }
  // A saved id that no longer exists (deleted?) → try the uniqueName / name before concluding "no app".
  if (!observed.application && by && by !== 'uniqueName' && (hint.uniqueName || hint.displayName)) {
    const again = await readTenant(graph, { uniqueName: hint.uniqueName, displayName: hint.displayName }, opts);
    return again;
  }
  const app = observed.application;
  if (!app) {
    observed.servicePrincipal = null;
    if (opts.readGrants) observed.grants = [];
    return { observed, foundBy, candidates };
  }
  if (appIdKnown && app.appId === appIdKnown) {
    takeSp(graph, observed, items, answers);
  } else if (app.appId) {
    const more = spItems(app.appId, opts.readGrants, spLag);
    takeSp(graph, observed, more, await graph.batch(more, { signal: opts.signal }));
  }
  return { observed, foundBy, candidates };
}
