// The checklist catalog: every step id of docs/checklist.md with its title, the guide step it comes
// from, where the portal shows it, why it matters, and the Azure portal blade that fixes it.
import { STEP_IDS, type Cloud, type StepId } from './types';

/** App-registration blades of the Azure portal (Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/<blade>). */
export type PortalBlade = 'Overview' | 'Authentication' | 'ExposeAnAPI' | 'CallAnAPI' | 'TokenConfiguration' | 'Manifest';

export interface CatalogEntry {
  id: StepId;
  title: string;
  /** Step of the vendor guide (docs/procedure.md), or 'beyond the guide'. */
  guideStep: string;
  /** Where the portal shows it, as a person navigates there. */
  portalLocation: string;
  /** Why ICE needs it (one or two sentences). */
  why: string;
  /** The app-registration blade to open, when one fits. */
  blade?: PortalBlade;
}

export const CATALOG: Record<StepId, CatalogEntry> = {
  'register.app': {
    id: 'register.app',
    title: 'App registration exists',
    guideStep: '1-4',
    portalLocation: 'Microsoft Entra ID > App registrations',
    why: 'ICE clients sign in against this registration. Its name only labels it in the portal.',
    blade: 'Overview',
  },
  'register.audience': {
    id: 'register.audience',
    title: 'Supported account types',
    guideStep: '3B',
    portalLocation: 'App registration > Authentication > Supported account types',
    why: 'Decides whose accounts may sign in to ICE: this directory only, any organisation, or personal accounts too.',
    blade: 'Authentication',
  },
  'register.native-redirect': {
    id: 'register.native-redirect',
    title: 'Mobile and desktop redirect URI (nativeclient)',
    guideStep: '3C, 5E',
    portalLocation: 'App registration > Authentication > Mobile and desktop applications',
    why: "ICE Desktop and ICE Mobile finish sign-in on this URI; it is ICE's \"Redirect URL\".",
    blade: 'Authentication',
  },
  'tenant.service-principal': {
    id: 'tenant.service-principal',
    title: 'Service principal (enterprise application) exists',
    guideStep: '4 (the portal does it)',
    portalLocation: 'Microsoft Entra ID > Enterprise applications',
    why: 'Users can only sign in to an app that has a service principal in the tenant. The portal makes one on Register; Graph does not.',
    blade: 'Overview',
  },
  'auth.spa-redirects': {
    id: 'auth.spa-redirects',
    title: 'Single-page application redirect URIs (https://<host>/sso)',
    guideStep: '5A-C',
    portalLocation: 'App registration > Authentication > Single-page application',
    why: "ICE's web client signs in from https://<host>/sso on every ICE host (DC1, DC2, aliases); Entra only returns tokens to listed URIs.",
    blade: 'Authentication',
  },
  'auth.implicit-access-token': {
    id: 'auth.implicit-access-token',
    title: 'Implicit grant: access tokens',
    guideStep: '5D',
    portalLocation: 'App registration > Authentication > Implicit grant and hybrid flows > Access tokens',
    why: 'The vendor guide requires access tokens from the authorization endpoint for the ICE web client.',
    blade: 'Authentication',
  },
  'auth.public-client-flows': {
    id: 'auth.public-client-flows',
    title: 'Allow public client flows (not needed)',
    guideStep: 'note after 5E',
    portalLocation: 'App registration > Authentication > Advanced settings > Allow public client flows',
    why: 'ICE does not use public client flows; shown for information only.',
    blade: 'Authentication',
  },
  'api.identifier-uri': {
    id: 'api.identifier-uri',
    title: 'Application ID URI',
    guideStep: '6A',
    portalLocation: 'App registration > Expose an API > Application ID URI',
    why: "It is ICE's \"Audience\" and the prefix of the scope ICE requests; the default is api://<client id>.",
    blade: 'ExposeAnAPI',
  },
  'api.scope': {
    id: 'api.scope',
    title: 'Exposed scope',
    guideStep: '6B',
    portalLocation: 'App registration > Expose an API > Scopes defined by this API',
    why: 'ICE requests an access token for this scope; its full name is ICE\'s "Scope".',
    blade: 'ExposeAnAPI',
  },
  'permissions.no-graph': {
    id: 'permissions.no-graph',
    title: 'No Microsoft Graph permissions',
    guideStep: '7A',
    portalLocation: 'App registration > API permissions > Microsoft Graph',
    why: 'With any Graph permission Entra issues tokens with a nonce in the header, meant for Microsoft services only; ICE cannot validate them.',
    blade: 'CallAnAPI',
  },
  'permissions.own-scope': {
    id: 'permissions.own-scope',
    title: "Permission on the app's own scope",
    guideStep: '7B',
    portalLocation: 'App registration > API permissions > APIs my organization uses > this app',
    why: 'The app requests its own scope, so the token ICE receives is issued for this app.',
    blade: 'CallAnAPI',
  },
  'permissions.only-own': {
    id: 'permissions.only-own',
    title: 'No other API permissions',
    guideStep: '7',
    portalLocation: 'App registration > API permissions',
    why: 'ICE needs nothing but its own scope; other permissions widen what users consent to.',
    blade: 'CallAnAPI',
  },
  'consent.admin-grant': {
    id: 'consent.admin-grant',
    title: 'Admin consent',
    guideStep: '6B.b',
    portalLocation: 'App registration > API permissions > Grant admin consent',
    why: 'With "Admins only", users cannot sign in until an administrator has consented for the whole organisation.',
    blade: 'CallAnAPI',
  },
  'token.groups-claim': {
    id: 'token.groups-claim',
    title: 'Groups claim',
    guideStep: '8A.a',
    portalLocation: 'App registration > Token configuration > Add groups claim',
    why: 'ICE assigns users to channels by their groups.',
    blade: 'TokenConfiguration',
  },
  'token.groups-sam-account-name': {
    id: 'token.groups-sam-account-name',
    title: 'Groups as sAMAccountName in access tokens',
    guideStep: '8A.b',
    portalLocation: 'App registration > Token configuration > groups > Edit > Access > sAMAccountName',
    why: 'Without it the token carries group object ids, not names. Only groups synced from on-premises AD have a sAMAccountName.',
    blade: 'TokenConfiguration',
  },
  'token.upn-claim': {
    id: 'token.upn-claim',
    title: 'UPN optional claim in access tokens',
    guideStep: '8B.a-b',
    portalLocation: 'App registration > Token configuration > Add optional claim > Access > upn',
    why: 'Without the UPN the ICE Server rejects the token.',
    blade: 'TokenConfiguration',
  },
  'token.upn-external': {
    id: 'token.upn-external',
    title: 'UPN for externally authenticated users',
    guideStep: '8B.e',
    portalLocation: 'App registration > Token configuration > upn > Edit > Externally authenticated',
    why: 'Guest (B2B) users get a UPN in the token too.',
    blade: 'TokenConfiguration',
  },
  'overview.values': {
    id: 'overview.values',
    title: 'The eight ICE Server values',
    guideStep: '9',
    portalLocation: 'App registration > Overview (and Endpoints)',
    why: 'The ICE administrator types these eight values into ICE Desktop (Settings > Organization > Authentication).',
    blade: 'Overview',
  },
  'proof.token': {
    id: 'proof.token',
    title: 'A real access token is accepted',
    guideStep: 'beyond the guide',
    portalLocation: '(sign-in test)',
    why: 'Proves what the guide only hopes: no nonce in the header, signature verifies, aud, scp, upn and group names are right.',
  },
  'server.sso-meta': {
    id: 'server.sso-meta',
    title: "ICE Server's /sso-meta matches",
    guideStep: 'beyond the guide',
    portalLocation: '(ICE Server)',
    why: 'Each ICE host publishes the values it uses at /sso-meta; they must equal the ones exported here.',
  },
};

/** Catalog entries in checklist order. */
export const CATALOG_IN_ORDER: CatalogEntry[] = STEP_IDS.map((id) => CATALOG[id]);

/**
 * The Azure portal page that shows (and fixes) a step. Needs the app id for app-registration blades;
 * without one, the App registrations list (for register.app) or null.
 */
export function portalDeepLink(stepId: StepId, cloud: Cloud, appId?: string): string | null {
  const entry = CATALOG[stepId];
  const portal = cloud.portalUrl.replace(/\/+$/, '');
  if (!entry.blade) return null;
  if (!appId) {
    return stepId === 'register.app' ? `${portal}/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade` : null;
  }
  return `${portal}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/${entry.blade}/appId/${encodeURIComponent(appId)}`;
}
