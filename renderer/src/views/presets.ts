// Server settings of the common providers (from their published help pages), and what each one
// needs from the user before a password works over IMAP.
import type { Security } from '../../../main/core/api';

export interface Preset {
  id: string;
  label: string;
  imap: { host: string; port: number; security: Security };
  smtp: { host: string; port: number; security: Security };
  note: string;
}

export const PRESETS: Preset[] = [
  {
    id: 'gmail',
    label: 'Gmail',
    imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    note: 'Gmail needs an app password (Google Account → Security → 2-Step Verification → App passwords); your normal password is refused.',
  },
  {
    id: 'outlook',
    label: 'Outlook.com / Microsoft 365',
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    note: 'Microsoft may only allow sign-in with OAuth; a password works where your administrator allows IMAP with passwords. Junk is called "Junk Email".',
  },
  {
    id: 'icloud',
    label: 'iCloud Mail',
    imap: { host: 'imap.mail.me.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.mail.me.com', port: 587, security: 'starttls' },
    note: 'iCloud needs an app-specific password from account.apple.com (Sign-In and Security → App-Specific Passwords).',
  },
  {
    id: 'fastmail',
    label: 'Fastmail',
    imap: { host: 'imap.fastmail.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.fastmail.com', port: 465, security: 'tls' },
    note: 'Fastmail needs an app password (Settings → Privacy & Security → Manage app passwords) with IMAP and SMTP access.',
  },
  {
    id: 'yahoo',
    label: 'Yahoo Mail',
    imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, security: 'tls' },
    note: 'Yahoo needs an app password (Account security → Generate app password).',
  },
  {
    id: 'custom',
    label: 'Other (IMAP/SMTP)',
    imap: { host: '', port: 993, security: 'tls' },
    smtp: { host: '', port: 587, security: 'starttls' },
    note: 'Your provider’s help pages list its IMAP and SMTP servers. 993 is usually TLS, 143 STARTTLS; 465 TLS, 587 STARTTLS.',
  },
];
