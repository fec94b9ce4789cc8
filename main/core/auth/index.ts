// Signing in with OAuth2 (Google, Microsoft): the provider registry and the presets of the big
// mail providers, the browser sign-in (code + PKCE on a one-shot loopback listener), the token
// endpoint, the vault that keeps refresh tokens, the access tokens that refresh themselves, and
// what a server's capabilities say about signing in. Below imap/ and smtp/, which take their
// credentials from here (docs/ARCHITECTURE.md).
export { AccessTokens, REFRESH_MARGIN_MS, oauthOf, providerLabel, signInAgainCli, signInAgainMessage, type AccessTokenDeps, type SignInState } from './access-tokens.js';
export { judgeImapAuth, oauthOnlyCli, oauthOnlyMessage, type ImapAuthOffer } from './capabilities.js';
export { isAuthorizationRequest, smtpTokenLogin, withTokens, type TokenLogin } from './credentials.js';
export { SIGN_IN_TIMEOUT_MS, authorizationUrl, beginSignIn, type PendingSignIn, type SignInOptions } from './flow.js';
export { openLoopbackListener, type AuthorizationResponse, type LoopbackListener } from './loopback.js';
export { pkcePair, randomState, s256, tokenFingerprint, type Pkce } from './pkce.js';
export { PROVIDER_PRESETS, presetForAddress, presetForHost } from './presets.js';
export {
  CLIENT_ID_PATTERN,
  OAUTH_PROVIDER_IDS,
  builtInProvider,
  isOAuthProviderId,
  noClientIdMessage,
  resolveClient,
  resolveProvider,
  secureEndpoint,
  type Env,
  type OAuthClient,
  type OAuthProvider,
} from './providers.js';
export { TokenEndpointError, jwtClaims, tokenRequest, type TokenSet } from './token-endpoint.js';
export { envTokenVault, secretTokenVault, tokenEnvName, type StoredGrant, type TokenVault } from './vault.js';
