// What we know of the big mail providers before the user types a password: their servers, whether
// IMAP takes a password at all, whether it must be an app password and where to create one. The
// Accounts view reads this through the API (providerPresets); the connection test names the
// preset when a password is refused. Facts as of 2026, each with its source in the note.
import type { ProviderPreset } from '../api.js';

export const PROVIDER_PRESETS: readonly ProviderPreset[] = Object.freeze([
  {
    id: 'gmail',
    label: 'Gmail / Google Workspace',
    domains: ['gmail.com', 'googlemail.com'],
    imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    oauth: 'google',
    password: 'app-password',
    appPasswordUrl: 'https://myaccount.google.com/apppasswords',
    note:
      'Sign in with Google, or use an app password: it needs 2-Step Verification and is not offered to accounts with only security keys or Advanced Protection (support.google.com/accounts/answer/185833). A Workspace administrator may turn IMAP or app passwords off.',
  },
  {
    id: 'microsoft365',
    label: 'Microsoft 365 / Exchange Online',
    domains: [],
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    oauth: 'microsoft',
    password: 'not-accepted',
    appPasswordUrl: null,
    note:
      'Sign in with Microsoft: IMAP basic authentication has been off since 1 October 2022. SMTP AUTH with a password works until the end of December 2026, then it is off by default for existing tenants. Your administrator may have to allow IMAP for your mailbox and consent to the app.',
  },
  {
    id: 'outlook',
    label: 'Outlook.com / Hotmail / Live',
    domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'outlook.de', 'outlook.fr', 'hotmail.co.uk', 'hotmail.de', 'hotmail.fr', 'live.co.uk', 'live.de', 'live.fr'],
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' },
    oauth: 'microsoft',
    password: 'not-accepted',
    appPasswordUrl: null,
    note: 'Sign in with Microsoft: password sign-in over IMAP ended for Outlook.com on 16 September 2024, and the server offers only XOAUTH2, so an app password does not help either.',
  },
  {
    id: 'yahoo',
    label: 'Yahoo Mail',
    domains: ['yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.de', 'yahoo.fr'],
    imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, security: 'tls' },
    oauth: null,
    password: 'app-password',
    appPasswordUrl: 'https://login.yahoo.com/account/security',
    note: 'Use an app password: Account security → Generate app password. Your Yahoo password itself is refused over IMAP.',
  },
  {
    id: 'aol',
    label: 'AOL Mail',
    domains: ['aol.com', 'aim.com'],
    imap: { host: 'imap.aol.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.aol.com', port: 465, security: 'tls' },
    oauth: null,
    password: 'app-password',
    appPasswordUrl: 'https://login.aol.com/account/security',
    note: 'Use an app password: Account security → Generate app password. Your AOL password itself is refused over IMAP.',
  },
  {
    id: 'icloud',
    label: 'iCloud Mail',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    imap: { host: 'imap.mail.me.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.mail.me.com', port: 587, security: 'starttls' },
    oauth: null,
    password: 'app-password',
    appPasswordUrl: 'https://account.apple.com',
    note: 'Use an app-specific password: Sign-In and Security → App-Specific Passwords (it needs two-factor authentication on your Apple Account).',
  },
  {
    id: 'fastmail',
    label: 'Fastmail',
    domains: ['fastmail.com', 'fastmail.fm'],
    imap: { host: 'imap.fastmail.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.fastmail.com', port: 465, security: 'tls' },
    oauth: null,
    password: 'app-password',
    appPasswordUrl: 'https://www.fastmail.com/help/clients/apppassword.html',
    note: 'Use an app password: Settings → Privacy & Security → Integrations → New app password. Your Fastmail password itself is refused over IMAP and SMTP.',
  },
] satisfies ProviderPreset[]);

/** The preset whose IMAP server this is. Outlook.com and Microsoft 365 share one server: the more
 *  general Microsoft 365 entry comes first, and both say the same about passwords. */
export function presetForHost(host: string): ProviderPreset | null {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  // imap-mail.outlook.com is the old name of Outlook.com's IMAP server.
  if (h === 'imap-mail.outlook.com') return PROVIDER_PRESETS.find((p) => p.id === 'outlook') ?? null;
  return PROVIDER_PRESETS.find((p) => p.imap.host === h) ?? null;
}

/** The preset of an address's domain (gmail.com → Gmail), or null for a custom domain. */
export function presetForAddress(address: string): ProviderPreset | null {
  const domain = address.trim().toLowerCase().split('@').pop() ?? '';
  return PROVIDER_PRESETS.find((p) => p.domains.includes(domain)) ?? null;
}
