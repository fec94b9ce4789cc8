// The account form's data: what the fields hold, a new or an edited account's values, the input
// the core takes, and the three server fields (host, port, security) IMAP and SMTP share.
import type { AccountSummary, NewAccountInput, Security } from '../../../main/core/api';
import { userZone } from '../time';
import type { Preset } from './presets';
import { countryOfLocale } from './places';

export interface Form {
  preset: string;
  name: string;
  email: string;
  /** Empty: the email address. */
  login: string;
  password: string;
  otherAddresses: string;
  imapHost: string;
  imapPort: string;
  imapSecurity: Security;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: Security;
  timeZone: string;
  country: string;
}

/** A new account's form: Gmail's servers once the presets are there (see the effect below). */
export const blank = (): Form => ({
  preset: 'gmail',
  name: '',
  email: '',
  login: '',
  password: '',
  otherAddresses: '',
  imapHost: '',
  imapPort: '993',
  imapSecurity: 'tls',
  smtpHost: '',
  smtpPort: '465',
  smtpSecurity: 'tls',
  timeZone: userZone(),
  country: countryOfLocale(),
});

export const presetFields = (p: Preset): Partial<Form> => ({
  preset: p.id,
  imapHost: p.imap.host,
  imapPort: String(p.imap.port),
  imapSecurity: p.imap.security,
  smtpHost: p.smtp.host,
  smtpPort: String(p.smtp.port),
  smtpSecurity: p.smtp.security,
});

/** The form of an account being edited (its password stays unless a new one is typed). */
export const formOf = (a: AccountSummary): Form => ({
  preset: 'custom',
  name: a.name,
  email: a.addresses[0] ?? (a.user.includes('@') ? a.user : ''),
  login: a.user === a.addresses[0] ? '' : a.user,
  password: '',
  otherAddresses: a.addresses.slice(1).join(', '),
  imapHost: a.imapHost,
  imapPort: String(a.imapPort ?? 993),
  imapSecurity: a.imapSecurity ?? 'tls',
  smtpHost: a.smtp?.host ?? '',
  smtpPort: String(a.smtp?.port ?? 587),
  smtpSecurity: a.smtp?.security ?? 'starttls',
  timeZone: a.timeZone ?? userZone(),
  country: a.country ?? '',
});

export const splitAddresses = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);

export function toInput(f: Form): NewAccountInput {
  const email = f.email.trim().toLowerCase();
  const user = f.login.trim() || f.email.trim();
  return {
    name: f.name.trim() || email,
    imap: { host: f.imapHost.trim(), port: Number(f.imapPort), security: f.imapSecurity, user },
    ...(f.smtpHost.trim() ? { smtp: { host: f.smtpHost.trim(), port: Number(f.smtpPort), security: f.smtpSecurity, user } } : {}),
    addresses: [...new Set([email, ...splitAddresses(f.otherAddresses)].filter(Boolean))],
    ...(f.timeZone.trim() ? { timeZone: f.timeZone.trim() } : {}),
    ...(f.country ? { country: f.country } : {}),
    ...(f.password ? { password: f.password } : {}),
  };
}

/** Host, port and security of the IMAP or the SMTP server: the same three fields for both. */
export function ServerFields({ kind, form, set, disabled }: { kind: 'imap' | 'smtp'; form: Form; set: (change: Partial<Form>) => void; disabled: boolean }) {
  const name = kind.toUpperCase();
  const host = `${kind}Host` as const;
  const port = `${kind}Port` as const;
  const security = `${kind}Security` as const;
  return (
    <>
      <label htmlFor={`acc-${kind}`}>{name} server</label>
      <div className="inline wrap">
        <input id={`acc-${kind}`} className="host" required={kind === 'imap'} disabled={disabled} value={form[host]} onChange={(e) => set({ [host]: e.target.value })} placeholder={`${kind}.example.com`} />
        <input aria-label={`${name} port`} className="port" disabled={disabled} value={form[port]} onChange={(e) => set({ [port]: e.target.value })} size={5} inputMode="numeric" />
        <select aria-label={`${name} security`} disabled={disabled} value={form[security]} onChange={(e) => set({ [security]: e.target.value as Security })}>
          <option value="tls">TLS</option>
          <option value="starttls">STARTTLS</option>
          <option value="none">none (local test servers)</option>
        </select>
      </div>
    </>
  );
}
