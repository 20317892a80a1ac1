// Helpers for the emulator's own tests (plain fetch, no project code).
import type { Emulator } from './index';

export interface GraphResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function graph(
  emu: Emulator,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<GraphResponse> {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await fetch(`${emu.graphUrl}/v1.0${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const ICE_SCOPE_ID = '6f1c3b42-6d1e-4b55-9d1c-2a7f2f0c1a01';

/** A compliant-looking ICE app body (without the appId-dependent parts). */
export function iceAppBody(name = 'Instant Connect Enterprise SSO'): Record<string, unknown> {
  return {
    displayName: name,
    signInAudience: 'AzureADMyOrg',
    spa: { redirectUris: ['https://dc1.example.com/sso', 'https://dc2.example.com/sso'] },
    publicClient: { redirectUris: ['https://login.microsoftonline.com/common/oauth2/nativeclient'] },
    web: { implicitGrantSettings: { enableAccessTokenIssuance: true } },
    groupMembershipClaims: 'SecurityGroup',
    optionalClaims: {
      accessToken: [
        { name: 'groups', additionalProperties: ['sam_account_name'] },
        { name: 'upn', additionalProperties: ['include_externally_authenticated_upn'] },
      ],
    },
    api: {
      oauth2PermissionScopes: [
        {
          id: ICE_SCOPE_ID,
          value: 'UserProfile.ReadWrite',
          type: 'User',
          isEnabled: true,
          adminConsentDisplayName: 'Read and write user profile',
          adminConsentDescription: 'Lets ICE read and write the user profile.',
          userConsentDisplayName: 'Read and write your profile',
          userConsentDescription: 'Lets ICE read and write your profile.',
        },
      ],
    },
  };
}

/** response.json() typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}
