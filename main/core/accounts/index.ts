// The user's mail accounts: added (checked, tested, the password kept in the secret store),
// listed, given folder roles by hand, removed, and their status.
export { accountFromInput, addAccount, removeAccount, setFolderRole, summarizeAccount, testConnection, updateAccount, validTimeZone, type AccountDeps } from './accounts.js';
export { accountStatus } from './status.js';
export { SignInFlows, oauthAccountConfig, type OAuthAccountDeps, type OpenBrowser } from './oauth-account.js';
export { checkServer } from './server-check.js';
