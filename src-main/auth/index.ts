export { MemoryTokenCacheStore, cachePlugin, type TokenCacheStore } from './cache';
export { SignInError, toSignInError, type SignInErrorCode } from './errors';
export { graphPermissions, graphScopes, canReadGrants, REQUIRED_ROLES, type AccessPurpose } from './scopes';
export { openSystemBrowser, systemBrowserCommand } from './browser';
export {
  DEFAULT_CLIENT_ID,
  SignInClient,
  checkTenant,
  signIn,
  type DeviceCodeInfo,
  type SignedIn,
  type SignInMethod,
  type SignInOptions,
} from './signin';
export { checkProofToken, openIdConfigUrl, proofScope, startProofSignIn, type ProofSignIn, type ProofTarget } from './proof';
