// The delegated Microsoft Graph scopes the assistant asks for: only what the requested action needs.
import type { Cloud } from '../core/types';

/** What the signed-in user asked for. */
export type AccessPurpose =
  /** Read the app, its service principal and its grants: never a write scope. */
  | { action: 'verify' }
  /** Create or repair the app; consent 'admins' also writes the tenant-wide consent grant. */
  | { action: 'apply'; consent: 'users' | 'admins' };

/**
 * Graph permission names for a purpose, least privilege first (Microsoft Graph permissions reference):
 * - reading applications and service principals: Application.Read.All;
 * - reading oauth2PermissionGrants: Directory.Read.All is the least privileged documented permission
 *   (verify reads grants to check consent.admin-grant and leftover Graph grants);
 * - creating and updating applications and service principals: Application.ReadWrite.All;
 * - creating or updating the admin consent grant: DelegatedPermissionGrant.ReadWrite.All (only for
 *   "Admins only"; it also allows reading the grants).
 */
export function graphPermissions(purpose: AccessPurpose): string[] {
  if (purpose.action === 'verify') return ['Application.Read.All', 'Directory.Read.All'];
  if (purpose.consent === 'admins') return ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'];
  // "Admins and users" writes no grant, but apply still reads the grants (a leftover Microsoft Graph grant stays a
  // warning until it is removed): Directory.Read.All, verify's own read permission, is the least privileged one
  // for GET /servicePrincipals/{id}/oauth2PermissionGrants
  // (https://learn.microsoft.com/graph/api/serviceprincipal-list-oauth2permissiongrants).
  return ['Application.ReadWrite.All', 'Directory.Read.All'];
}

/** The permission a plan needs on top of apply's when it writes or deletes consent grants (revoking a leftover grant). */
export const GRANT_WRITE_PERMISSION = 'DelegatedPermissionGrant.ReadWrite.All';

/** Whether the token for this purpose may read oauth2PermissionGrants: every purpose reads them. */
export function canReadGrants(_purpose: AccessPurpose): boolean {
  return true;
}

/** Scopes qualified with the cloud's Graph resource, e.g. https://graph.microsoft.us/Application.ReadWrite.All. */
export function graphScopes(cloud: Cloud, purpose: AccessPurpose): string[] {
  const base = cloud.graphUrl.replace(/\/+$/, '');
  return graphPermissions(purpose).map((p) => `${base}/${p}`);
}

/** The role a user needs for everything the assistant writes. */
export const REQUIRED_ROLES = 'Application Administrator or Cloud Application Administrator';
