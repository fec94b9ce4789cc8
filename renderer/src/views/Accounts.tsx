// Accounts: the list with its sync state, and a form that fits real accounts (issue 15): the
// email address and the login user name apart (a login "u1" is fine), other addresses of the
// user, a searchable time-zone list defaulting to this computer's zone, a labelled country; a
// connection test of IMAP and then SMTP that shows each step; and editing an account.
import { useRef, useState, type FormEvent } from 'react';
import type { AccountSummary, NewAccountInput, Security } from '../../../main/core/api';
import { useApiData, useShared, useViewKeys } from '../context';
import { Kbd } from '../components/Kbd';
import { errorOf } from '../bridge';
import { formatAt, userZone } from '../time';
import { PRESETS } from './presets';
import { countryOfLocale, countries, timeZones } from './places';

interface Form {
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

const blank = (): Form => {
  const p = PRESETS[0];
  return {
    preset: p.id,
    name: '',
    email: '',
    login: '',
    password: '',
    otherAddresses: '',
    imapHost: p.imap.host,
    imapPort: String(p.imap.port),
    imapSecurity: p.imap.security,
    smtpHost: p.smtp.host,
    smtpPort: String(p.smtp.port),
    smtpSecurity: p.smtp.security,
    timeZone: userZone(),
    country: countryOfLocale(),
  };
};

/** The form of an account being edited (its password stays unless a new one is typed). */
const formOf = (a: AccountSummary): Form => ({
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

const splitAddresses = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);

function toInput(f: Form): NewAccountInput {
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

interface Step {
  what: 'IMAP' | 'SMTP' | 'Account';
  state: 'testing' | 'ok' | 'failed';
  message: string;
}

export function AccountsView() {
  const { api, accounts, attempt, toast } = useShared();
  const { data: status } = useApiData(() => api.status(), ['accounts', 'unanswered']);
  const [form, setForm] = useState<Form>(blank);
  const [editing, setEditing] = useState<string | null>(null);
  const [steps, setSteps] = useState<Step[]>([]);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const preset = PRESETS.find((p) => p.id === form.preset) ?? PRESETS[PRESETS.length - 1];
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const zones = timeZones();

  const choosePreset = (id: string) => {
    const p = PRESETS.find((x) => x.id === id)!;
    set({ preset: id, imapHost: p.imap.host, imapPort: String(p.imap.port), imapSecurity: p.imap.security, smtpHost: p.smtp.host, smtpPort: String(p.smtp.port), smtpSecurity: p.smtp.security });
    setSteps([]);
  };
  /** The form's own checks, in the words of this screen. */
  const formProblem = (): string | null => {
    if (form.timeZone.trim() && !zones.includes(form.timeZone.trim())) return `“${form.timeZone}” is not a time zone of the list: type a city, such as Berlin, and pick it.`;
    const bad = splitAddresses(form.otherAddresses).find((a) => !/^[^\s@]+@[^\s@]+$/.test(a));
    if (bad) return `“${bad}” is not an email address.`;
    return null;
  };
  const runTest = async () => {
    const problem = formProblem();
    if (problem) return setSteps([{ what: 'Account', state: 'failed', message: problem }]);
    setBusy(true);
    const input = toInput(form);
    const done: Step[] = [];
    try {
      for (const part of ['imap', 'smtp'] as const) {
        if (part === 'smtp' && !input.smtp) {
          done.push({ what: 'SMTP', state: 'failed', message: 'No SMTP server: follow-ups cannot be sent without one.' });
          continue;
        }
        const what = part === 'imap' ? 'IMAP' : 'SMTP';
        setSteps([...done, { what, state: 'testing', message: `Testing ${what}…` }]);
        try {
          const r = await api.testConnection(input, { part });
          done.push(
            part === 'imap'
              ? { what, state: 'ok', message: `Connected: signed in, the server shows ${r.folders ?? 0} folders.` }
              : { what, state: 'ok', message: r.smtp?.authenticated ? 'Connected: the server took the user name and password.' : 'Connected: the server asks for no sign-in.' },
          );
        } catch (e) {
          done.push({ what, state: 'failed', message: errorOf(e).message });
        }
      }
    } finally {
      setSteps(done);
      setBusy(false);
    }
  };
  const submit = async (ev?: FormEvent) => {
    ev?.preventDefault();
    const problem = formProblem();
    if (problem) return setSteps([{ what: 'Account', state: 'failed', message: problem }]);
    setBusy(true);
    setSteps([{ what: 'Account', state: 'testing', message: editing ? 'Saving…' : 'Signing in and adding it…' }]);
    try {
      const input = toInput(form);
      const a = editing ? await api.updateAccount(editing, input) : await api.addAccount(input);
      toast({ level: 'info', message: editing ? `${a.name} saved.` : `${a.name} added; syncing it now.` });
      setForm(blank());
      setSteps([]);
      if (!editing) void attempt(() => api.sync({ account: a.name }));
      setEditing(null);
    } catch (e) {
      setSteps([{ what: 'Account', state: 'failed', message: errorOf(e).message }]);
    } finally {
      setBusy(false);
    }
  };
  const edit = (a: AccountSummary) => {
    setEditing(a.name);
    setForm(formOf(a));
    setSteps([]);
    first.current?.focus();
  };
  const remove = async (name: string) => {
    if (!window.confirm(`Remove ${name} from this app? Mail on the server is not touched.`)) return;
    const ok = await attempt(async () => {
      await api.removeAccount(name);
      return true;
    });
    if (ok) toast({ level: 'info', message: `${name} removed.` });
  };

  useViewKeys('accounts', { a: () => first.current?.focus() });

  const cantSubmit = busy || !form.imapHost.trim() || !form.email.trim();
  return (
    <div className="page">
      <section className="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Your accounts</h2>
        {!accounts?.length && <p className="hint">No account yet.</p>}
        {accounts?.map((a) => {
          const s = status?.find((x) => x.account === a.name);
          const errors = s?.folders.filter((f) => f.lastError) ?? [];
          return (
            <div className="account-row" key={a.name} data-testid="account-row">
              <div className="grow">
                <b>{a.name}</b> {a.demo && <span className="badge warn">sample mail</span>}
                <div className="hint">
                  {a.user} on {a.demo ? 'no server' : a.imapHost} · {s ? `${s.messages} messages, ${s.folders.filter((f) => f.synced).length} folders · last sync ${s.lastSyncAt ? formatAt(s.lastSyncAt) : 'never'}` : '…'}
                </div>
                {errors.map((f) => (
                  <div className="error-text" key={f.path}>
                    {f.path}: {f.lastError}
                  </div>
                ))}
              </div>
              <div className="inline wrap">
                {!a.demo && (
                  <button className="btn small" onClick={() => void attempt(() => api.sync({ account: a.name }))}>
                    Sync
                  </button>
                )}
                {!a.demo && (
                  <button className="btn small" onClick={() => edit(a)} data-testid="edit-account">
                    Edit
                  </button>
                )}
                <button className="btn small danger" onClick={() => void remove(a.name)}>
                  Remove
                </button>
              </div>
            </div>
          );
        })}
      </section>

      <form className="card" onSubmit={submit} aria-labelledby="account-form-title" data-testid="add-account" noValidate>
        <h2 id="account-form-title">
          {editing ? `Edit ${editing}` : 'Add an account'} {!editing && <Kbd k="a" />}
        </h2>
        <div className="form-grid">
          <label htmlFor="acc-preset">Provider</label>
          <select id="acc-preset" ref={first} value={form.preset} onChange={(e) => choosePreset(e.target.value)} aria-keyshortcuts="a">
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <span />
          <span className="hint">{preset.note}</span>
          <label htmlFor="acc-email">Email address</label>
          <input id="acc-email" type="email" autoComplete="email" required value={form.email} onChange={(e) => set({ email: e.target.value })} placeholder="you@example.com" />
          <label htmlFor="acc-login">Login user name</label>
          <div className="field">
            <input id="acc-login" autoComplete="username" value={form.login} onChange={(e) => set({ login: e.target.value })} placeholder={form.email || 'the email address'} aria-describedby="acc-login-hint" />
            <span className="hint" id="acc-login-hint">
              Leave empty when you sign in with the email address.
            </span>
          </div>
          <label htmlFor="acc-password">Password</label>
          <input id="acc-password" type="password" autoComplete="current-password" value={form.password} onChange={(e) => set({ password: e.target.value })} placeholder={editing ? 'unchanged' : 'app password'} />
          <label htmlFor="acc-name">Name in the app</label>
          <input id="acc-name" value={form.name} disabled={!!editing} onChange={(e) => set({ name: e.target.value })} placeholder={form.email || 'work'} />
          <label htmlFor="acc-others">Other addresses</label>
          <div className="field">
            <input id="acc-others" value={form.otherAddresses} onChange={(e) => set({ otherAddresses: e.target.value })} placeholder="aliases, e.g. pat.doe@example.com" aria-describedby="acc-others-hint" />
            <span className="hint" id="acc-others-hint">
              Addresses that are yours too, separated by commas: mail from them counts as sent by you.
            </span>
          </div>
          <ServerFields kind="imap" form={form} set={set} />
          <ServerFields kind="smtp" form={form} set={set} />
          <label htmlFor="acc-zone">Your time zone</label>
          <div className="field">
            <input id="acc-zone" list="acc-zones" value={form.timeZone} onChange={(e) => set({ timeZone: e.target.value })} placeholder="type a city, e.g. Berlin" autoComplete="off" />
            <datalist id="acc-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
          <label htmlFor="acc-country">Country (for public holidays)</label>
          <select id="acc-country" value={form.country} onChange={(e) => set({ country: e.target.value })}>
            <option value="">Not set</option>
            {countries().map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        {steps.length > 0 && (
          <ul className="test-steps" role="status" aria-live="polite" data-testid="connection-result">
            {steps.map((s) => (
              <li key={s.what} className={s.state === 'ok' ? 'ok-text' : s.state === 'failed' ? 'error-text' : 'hint'} data-testid={`connection-${s.what.toLowerCase()}`} data-state={s.state}>
                <b>{s.what}:</b> {s.message}
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={() => void runTest()} disabled={cantSubmit} data-testid="test-connection">
            {busy && steps.some((s) => s.state === 'testing') && steps.at(-1)?.what !== 'Account' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="btn primary" disabled={cantSubmit} data-testid="submit-account">
            {editing ? 'Save changes' : 'Add account'}
          </button>
          {editing && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setEditing(null);
                setForm(blank());
                setSteps([]);
              }}
            >
              Cancel editing
            </button>
          )}
        </div>
        <p className="hint">The password is kept in your system’s keychain by the desktop app, and only in memory by “triage serve”.</p>
      </form>
    </div>
  );
}

/** Host, port and security of the IMAP or the SMTP server: the same three fields for both. */
function ServerFields({ kind, form, set }: { kind: 'imap' | 'smtp'; form: Form; set: (change: Partial<Form>) => void }) {
  const name = kind.toUpperCase();
  const host = `${kind}Host` as const;
  const port = `${kind}Port` as const;
  const security = `${kind}Security` as const;
  return (
    <>
      <label htmlFor={`acc-${kind}`}>{name} server</label>
      <div className="inline wrap">
        <input id={`acc-${kind}`} className="host" required={kind === 'imap'} value={form[host]} onChange={(e) => set({ [host]: e.target.value })} placeholder={`${kind}.example.com`} />
        <input aria-label={`${name} port`} className="port" value={form[port]} onChange={(e) => set({ [port]: e.target.value })} size={5} inputMode="numeric" />
        <select aria-label={`${name} security`} value={form[security]} onChange={(e) => set({ [security]: e.target.value as Security })}>
          <option value="tls">TLS</option>
          <option value="starttls">STARTTLS</option>
          <option value="none">none (local test servers)</option>
        </select>
      </div>
    </>
  );
}
