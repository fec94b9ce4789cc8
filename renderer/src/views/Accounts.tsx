// Accounts: the list with each account's sync and sign-in state (AccountList.tsx), and a form
// that fits real accounts (issue 15): the email address and the login user name apart (a login
// "u1" is fine), other addresses of the user, a searchable time-zone list defaulting to this
// computer's zone, a labelled country; a connection test of IMAP and then SMTP that shows each
// step; and editing an account. Issue 16: "Sign in with Google / Microsoft" next to the password
// (SignIn.tsx), the provider presets' word on app passwords, and a connection test that asks the
// server how it lets people sign in before any password is typed.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AccountSummary, NewAccountInput, OAuthProviderId, SignInRequest } from '../../../main/core/api';
import { useApiData, useShared, useViewKeys } from '../context';
import { Kbd } from '../components/Kbd';
import { errorOf } from '../bridge';
import { CUSTOM_PRESET, passwordHint, usePresets } from './presets';
import { countries, timeZones } from './places';
import { ServerFields, blank, formOf, presetFields, splitAddresses, toInput, type Form } from './account-form';
import { AccountList } from './AccountList';
import { SignInButtons, SignInProgress, useSignIn } from './SignIn';
import { oauthAccountInput } from './sign-in-state';

/** What was typed survives a visit to Settings (→ Sign-in apps) and back; never the password. */
let draft: { form: Form; editing: string | null } | null = null;

interface Step {
  what: 'IMAP' | 'SMTP' | 'Account';
  /** 'note': neither passed nor failed (a server checked before any password was typed). */
  state: 'testing' | 'ok' | 'failed' | 'note';
  message: string;
}

export function AccountsView({ openSettings }: { openSettings(provider: OAuthProviderId): void }) {
  const { api, accounts, attempt, toast } = useShared();
  const { data: status } = useApiData(() => api.status(), ['accounts', 'unanswered']);
  const { data: providers } = useApiData(() => api.oauthProviders(), ['accounts']);
  const presets = usePresets();
  const [form, setForm] = useState<Form>(() => draft?.form ?? blank());
  const [editing, setEditing] = useState<string | null>(() => draft?.editing ?? null);
  const [steps, setSteps] = useState<Step[]>([]);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const lastSignIn = useRef<{ provider: OAuthProviderId; request: SignInRequest } | null>(null);
  const preset = presets.find((p) => p.id === form.preset) ?? CUSTOM_PRESET;
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const zones = timeZones();
  const clear = () => {
    setEditing(null);
    setForm(blank());
    setSteps([]);
  };
  const signIn = useSignIn({ onAdded: clear });
  const signingIn = signIn.state.phase === 'starting' || signIn.state.phase === 'waiting';
  const editingOAuth = !!editing && accounts?.find((a) => a.name === editing)?.auth === 'oauth2';

  useEffect(() => {
    draft = { form: { ...form, password: '' }, editing };
  }, [form, editing]);
  // The presets come from the core: a new form gets its preset's servers once they are there.
  useEffect(() => {
    const p = presets.find((x) => x.id === form.preset);
    if (p && p.id !== 'custom' && !form.imapHost && !editing) set(presetFields(p));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [presets]);

  const choosePreset = (id: string) => {
    set(presetFields(presets.find((x) => x.id === id) ?? CUSTOM_PRESET));
    setSteps([]);
  };
  /** The form's own checks, in the words of this screen. */
  const formProblem = (): string | null => {
    if (form.timeZone.trim() && !zones.includes(form.timeZone.trim())) return `“${form.timeZone}” is not a time zone of the list: type a city, such as Berlin, and pick it.`;
    const bad = splitAddresses(form.otherAddresses).find((a) => !/^[^\s@]+@[^\s@]+$/.test(a));
    if (bad) return `“${bad}” is not an email address.`;
    return null;
  };

  /** No password yet: what the server says about signing in (OAuth2 only? an app password?). */
  const checkFirst = async (input: NewAccountInput): Promise<Step> => {
    try {
      const c = await api.checkServer({ host: input.imap.host, port: input.imap.port, security: input.imap.security });
      if (c.oauthOnly || !c.passwordLogin) return { what: 'IMAP', state: 'failed', message: c.message };
      return { what: 'IMAP', state: 'note', message: `${c.message} Type the password to test signing in.` };
    } catch (e) {
      return { what: 'IMAP', state: 'failed', message: errorOf(e).message };
    }
  };
  const runTest = async () => {
    const problem = formProblem();
    if (problem) return setSteps([{ what: 'Account', state: 'failed', message: problem }]);
    setBusy(true);
    const input = toInput(form);
    const done: Step[] = [];
    try {
      if (!form.password && !editing) {
        setSteps([{ what: 'IMAP', state: 'testing', message: 'Asking the IMAP server how it lets people sign in…' }]);
        done.push(await checkFirst(input));
        return;
      }
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
      if (!editing) void attempt(() => api.sync({ account: a.name }));
      clear();
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

  const startSignIn = (provider: OAuthProviderId, request: SignInRequest) => {
    lastSignIn.current = { provider, request };
    setSteps([]);
    void signIn.begin(provider, request);
  };
  /** A new account signing in with `provider`: the form's address, names, zone and servers. */
  const signInWith = (provider: OAuthProviderId) => {
    const problem = formProblem();
    if (problem) return setSteps([{ what: 'Account', state: 'failed', message: problem }]);
    // Another provider's preset (Yahoo, then "Sign in with Google"): that provider's servers.
    const own = preset.id === 'custom' || preset.oauth === provider ? preset : (presets.find((p) => p.oauth === provider) ?? preset);
    if (own !== preset) choosePreset(own.id);
    const input = oauthAccountInput(
      {
        name: form.name,
        email: form.email,
        login: form.login,
        otherAddresses: splitAddresses(form.otherAddresses),
        timeZone: form.timeZone,
        country: form.country,
        preset: own.id,
        presetOAuth: own.oauth,
        imap: own === preset ? { host: form.imapHost, port: Number(form.imapPort), security: form.imapSecurity } : own.imap,
        smtp: own === preset ? { host: form.smtpHost, port: Number(form.smtpPort), security: form.smtpSecurity } : own.smtp,
      },
      provider,
    );
    if ('problem' in input) return setSteps([{ what: 'Account', state: 'failed', message: input.problem }]);
    startSignIn(provider, { account: input });
  };
  const progress = (again: string | null) =>
    signIn.state.phase !== 'idle' && signIn.state.again === again ? (
      <SignInProgress
        signIn={signIn}
        appPasswordUrl={again === null && signIn.state.provider === 'google' ? (presets.find((p) => p.oauth === 'google')?.appPasswordUrl ?? null) : null}
        onOpenSettings={() => signIn.state.phase !== 'idle' && openSettings(signIn.state.provider)}
        onRetry={() => lastSignIn.current && startSignIn(lastSignIn.current.provider, lastSignIn.current.request)}
      />
    ) : null;

  useViewKeys('accounts', { a: () => first.current?.focus() });

  const cantSubmit = busy || signingIn || !form.imapHost.trim() || !form.email.trim();
  return (
    <div className="page">
      <AccountList status={status} onEdit={edit} busy={signingIn} onSignInAgain={(a) => a.provider && startSignIn(a.provider, { signInAgain: a.name })} progressOf={(name) => progress(name)} />

      <form className="card" onSubmit={submit} aria-labelledby="account-form-title" data-testid="add-account" noValidate>
        <h2 id="account-form-title">
          {editing ? `Edit ${editing}` : 'Add an account'} {!editing && <Kbd k="a" />}
        </h2>
        <div className="form-grid">
          <label htmlFor="acc-preset">Provider</label>
          <select id="acc-preset" ref={first} value={form.preset} disabled={editingOAuth} onChange={(e) => choosePreset(e.target.value)} aria-keyshortcuts="a">
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <span />
          <span className="hint" data-testid="preset-note">
            {preset.note}{' '}
            {preset.password === 'app-password' && preset.appPasswordUrl && (
              <a href={preset.appPasswordUrl} target="_blank" rel="noopener noreferrer" data-testid="app-password-link">
                Create an app password
              </a>
            )}
          </span>
          <label htmlFor="acc-email">Email address</label>
          <input id="acc-email" type="email" autoComplete="email" required value={form.email} onChange={(e) => set({ email: e.target.value })} placeholder="you@example.com" />
          <label htmlFor="acc-login">Login user name</label>
          <div className="field">
            <input id="acc-login" autoComplete="username" disabled={editingOAuth} value={form.login} onChange={(e) => set({ login: e.target.value })} placeholder={form.email || 'the email address'} aria-describedby="acc-login-hint" />
            <span className="hint" id="acc-login-hint">
              Leave empty when you sign in with the email address.
            </span>
          </div>
          {!editing && (
            <>
              <span className="form-label">Sign in</span>
              <div className="field">
                <SignInButtons providers={providers} preferred={preset.oauth} busy={signingIn || busy} onSignIn={signInWith} />
                {progress(null)}
              </div>
            </>
          )}
          <label htmlFor="acc-password">Password</label>
          <div className="field">
            <input
              id="acc-password"
              type="password"
              autoComplete="current-password"
              disabled={editingOAuth}
              value={form.password}
              onChange={(e) => set({ password: e.target.value })}
              placeholder={editingOAuth ? 'none: it signs in with its provider' : editing ? 'unchanged' : preset.password === 'app-password' ? 'app password' : 'password'}
              aria-describedby="acc-password-hint"
            />
            <span className="hint" id="acc-password-hint" data-testid="password-hint">
              {editingOAuth ? 'This account signs in with its provider; its user and servers stay as they were signed in.' : passwordHint(preset)}
            </span>
          </div>
          <label htmlFor="acc-name">Name in the app</label>
          <input id="acc-name" value={form.name} disabled={!!editing} onChange={(e) => set({ name: e.target.value })} placeholder={form.email || 'work'} />
          <label htmlFor="acc-others">Other addresses</label>
          <div className="field">
            <input id="acc-others" value={form.otherAddresses} onChange={(e) => set({ otherAddresses: e.target.value })} placeholder="aliases, e.g. pat.doe@example.com" aria-describedby="acc-others-hint" />
            <span className="hint" id="acc-others-hint">
              Addresses that are yours too, separated by commas: mail from them counts as sent by you.
            </span>
          </div>
          <ServerFields kind="imap" form={form} set={set} disabled={editingOAuth} />
          <ServerFields kind="smtp" form={form} set={set} disabled={editingOAuth} />
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
          {!editingOAuth && (
            <button type="button" className="btn" onClick={() => void runTest()} disabled={cantSubmit} data-testid="test-connection">
              {busy && steps.some((s) => s.state === 'testing') && steps.at(-1)?.what !== 'Account' ? 'Testing…' : 'Test connection'}
            </button>
          )}
          <button type="submit" className="btn primary" disabled={cantSubmit} data-testid="submit-account">
            {editing ? 'Save changes' : 'Add account'}
          </button>
          {editing && (
            <button type="button" className="btn" onClick={clear}>
              Cancel editing
            </button>
          )}
        </div>
        <p className="hint">Passwords and sign-ins are kept in your system’s keychain by the desktop app, and only in memory by “triage serve”.</p>
      </form>
    </div>
  );
}
