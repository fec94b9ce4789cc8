// Accounts: the list with its sync state, and adding one from a provider preset or by hand, with a
// connection test that says plainly what went wrong.
import { useRef, useState, type FormEvent } from 'react';
import type { NewAccountInput, Security } from '../../../main/core/api';
import { useApiData, useShared, useViewShortcuts } from '../context';
import { Kbd } from '../components/Kbd';
import { errorOf } from '../bridge';
import { formatAt, userZone } from '../time';
import { PRESETS } from './presets';

interface Form {
  preset: string;
  name: string;
  email: string;
  password: string;
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
    password: '',
    imapHost: p.imap.host,
    imapPort: String(p.imap.port),
    imapSecurity: p.imap.security,
    smtpHost: p.smtp.host,
    smtpPort: String(p.smtp.port),
    smtpSecurity: p.smtp.security,
    timeZone: userZone(),
    country: '',
  };
};

function toInput(f: Form): NewAccountInput {
  return {
    name: f.name.trim() || f.email.trim(),
    imap: { host: f.imapHost.trim(), port: Number(f.imapPort), security: f.imapSecurity, user: f.email.trim() },
    ...(f.smtpHost.trim() ? { smtp: { host: f.smtpHost.trim(), port: Number(f.smtpPort), security: f.smtpSecurity } } : {}),
    ...(f.email.includes('@') ? { addresses: [f.email.trim().toLowerCase()] } : {}),
    ...(f.timeZone.trim() ? { timeZone: f.timeZone.trim() } : {}),
    ...(f.country.trim() ? { country: f.country.trim().toUpperCase() } : {}),
    password: f.password,
  };
}

export function AccountsView() {
  const { api, accounts, attempt, toast } = useShared();
  const { data: status } = useApiData(() => api.status(), ['accounts', 'unanswered']);
  const [form, setForm] = useState<Form>(blank);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const preset = PRESETS.find((p) => p.id === form.preset) ?? PRESETS[PRESETS.length - 1];
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const choosePreset = (id: string) => {
    const p = PRESETS.find((x) => x.id === id)!;
    set({ preset: id, imapHost: p.imap.host, imapPort: String(p.imap.port), imapSecurity: p.imap.security, smtpHost: p.smtp.host, smtpPort: String(p.smtp.port), smtpSecurity: p.smtp.security });
    setTest(null);
  };
  const runTest = async () => {
    setBusy(true);
    setTest(null);
    try {
      const r = await api.testConnection(toInput(form));
      setTest({ ok: true, message: `Connected: the server shows ${r.folders} folders.` });
    } catch (e) {
      setTest({ ok: false, message: errorOf(e).message });
    } finally {
      setBusy(false);
    }
  };
  const add = async (ev?: FormEvent) => {
    ev?.preventDefault();
    setBusy(true);
    setTest(null);
    try {
      const a = await api.addAccount(toInput(form));
      toast({ level: 'info', message: `${a.name} added; syncing it now.` });
      setForm(blank());
      void attempt(() => api.sync({ account: a.name }));
    } catch (e) {
      setTest({ ok: false, message: errorOf(e).message });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (name: string) => {
    if (!window.confirm(`Remove ${name} from this app? Mail on the server is not touched.`)) return;
    const ok = await attempt(async () => {
      await api.removeAccount(name);
      return true;
    });
    if (ok) toast({ level: 'info', message: `${name} removed.` });
  };

  useViewShortcuts([{ key: 'a', label: 'Add an account', run: () => first.current?.focus(), footer: true }]);

  return (
    <div className="page">
      <section className="card" aria-label="Your accounts">
        <h2>Your accounts</h2>
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
              {!a.demo && (
                <button className="btn small" onClick={() => void attempt(() => api.sync({ account: a.name }))}>
                  Sync
                </button>
              )}
              <button className="btn small danger" onClick={() => void remove(a.name)}>
                Remove
              </button>
            </div>
          );
        })}
      </section>

      <form className="card" onSubmit={add} aria-label="Add an account" data-testid="add-account">
        <h2>
          Add an account <Kbd k="a" />
        </h2>
        <div className="form-grid">
          <label htmlFor="acc-preset">Provider</label>
          <select id="acc-preset" ref={first} value={form.preset} onChange={(e) => choosePreset(e.target.value)}>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <span />
          <span className="hint">{preset.note}</span>
          <label htmlFor="acc-email">Email address</label>
          <input id="acc-email" type="email" autoComplete="username" required value={form.email} onChange={(e) => set({ email: e.target.value })} placeholder="you@example.com" />
          <label htmlFor="acc-password">Password</label>
          <input id="acc-password" type="password" autoComplete="current-password" value={form.password} onChange={(e) => set({ password: e.target.value })} placeholder="app password" />
          <label htmlFor="acc-name">Name in the app</label>
          <input id="acc-name" value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder={form.email || 'work'} />
          <ServerFields kind="imap" form={form} set={set} />
          <ServerFields kind="smtp" form={form} set={set} />
          <label htmlFor="acc-zone">Your time zone</label>
          <div className="inline">
            <input id="acc-zone" value={form.timeZone} onChange={(e) => set({ timeZone: e.target.value })} placeholder="Europe/London" />
            <input aria-label="Country (two letters)" value={form.country} onChange={(e) => set({ country: e.target.value })} size={3} maxLength={2} placeholder="GB" />
          </div>
        </div>
        {test && (
          <p className={test.ok ? 'ok-text' : 'error-text'} role="status" data-testid="connection-result">
            {test.message}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={runTest} disabled={busy || !form.imapHost || !form.email} data-testid="test-connection">
            Test connection
          </button>
          <button type="submit" className="btn primary" disabled={busy || !form.imapHost || !form.email}>
            Add account <Kbd k="Enter" />
          </button>
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
      <div className="inline">
        <input id={`acc-${kind}`} required={kind === 'imap'} value={form[host]} onChange={(e) => set({ [host]: e.target.value })} placeholder={`${kind}.example.com`} />
        <input aria-label={`${name} port`} value={form[port]} onChange={(e) => set({ [port]: e.target.value })} size={5} inputMode="numeric" />
        <select aria-label={`${name} security`} value={form[security]} onChange={(e) => set({ [security]: e.target.value as Security })}>
          <option value="tls">TLS</option>
          <option value="starttls">STARTTLS</option>
          <option value="none">none (local test servers)</option>
        </select>
      </div>
    </>
  );
}
