// The account form's providers: the core's presets (main/core/auth/presets.ts, through
// api.providerPresets: servers, whether a password works at all, whether it must be an app password
// and where to create one), and "Other" for any IMAP server.
import type { ProviderPreset } from '../../../main/core/api';
import { useApiData, useShared } from '../context';

export type Preset = ProviderPreset;

export const CUSTOM_PRESET: Preset = {
  id: 'custom',
  label: 'Other (IMAP/SMTP)',
  domains: [],
  imap: { host: '', port: 993, security: 'tls' },
  smtp: { host: '', port: 587, security: 'starttls' },
  oauth: null,
  password: 'password',
  appPasswordUrl: null,
  note: 'Your provider’s help pages list its IMAP and SMTP servers. 993 is usually TLS, 143 STARTTLS; 465 TLS, 587 STARTTLS.',
};

/** The presets, "Other" last; until the core answers, only "Other". */
export function usePresets(): Preset[] {
  const { api } = useShared();
  const { data } = useApiData(() => api.providerPresets(), []);
  return data ? [...data, CUSTOM_PRESET] : [CUSTOM_PRESET];
}

/** What the password field says for a preset: which password, and where to make it. */
export function passwordHint(p: Preset): string {
  if (p.password === 'not-accepted') return `${p.label} takes no password over IMAP: use “Sign in with ${p.oauth === 'google' ? 'Google' : 'Microsoft'}” above.`;
  if (p.password === 'app-password') return `An app password, not your usual one${p.appPasswordUrl ? ' (“Create an app password” above)' : ''}.`;
  return 'The password of your mail account.';
}
