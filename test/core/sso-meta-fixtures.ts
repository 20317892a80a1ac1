// Eight ICE values for the /sso-meta tests.
import type { IceValues } from '../../src-main/core/types';

const T = '11111111-2222-3333-4444-555555555555';
const C = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const VALUES: IceValues = {
  audience: `api://${C}`,
  authorizationUrl: `https://login.microsoftonline.com/${T}/oauth2/v2.0/authorize`,
  tokenUrl: `https://login.microsoftonline.com/${T}/oauth2/v2.0/token`,
  redirectUrl: 'https://login.microsoftonline.com/common/oauth2/nativeclient',
  tenantId: T,
  clientId: C,
  openIdConfUrl: `https://login.microsoftonline.com/${T}/v2.0/.well-known/openid-configuration`,
  scope: `api://${C}/UserProfile.ReadWrite`,
};
