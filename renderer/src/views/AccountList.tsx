// The Accounts view's list: each account with its sync state, how it signs in (a password, Google,
// Microsoft) and whether its token is good; "Sign in again" where the provider refused the saved
// sign-in (its sync is paused and its follow-ups wait until then).
import type { ReactNode } from 'react';
import type { AccountStatus, AccountSummary } from '../../../main/core/api';
import { useShared } from '../context';
import { formatAt } from '../time';
import { signInStatus } from './sign-in-state';

export function AccountList({
  status,
  onEdit,
  onSignInAgain,
  busy,
  progressOf,
}: {
  status: AccountStatus[] | null;
  onEdit(a: AccountSummary): void;
  onSignInAgain(a: AccountSummary): void;
  /** A sign-in is under way: no second one. */
  busy: boolean;
  /** The sign-in progress to show under an account being signed in again, or null. */
  progressOf(name: string): ReactNode;
}) {
  const { api, accounts, attempt, toast } = useShared();
  const remove = async (name: string) => {
    if (!window.confirm(`Remove ${name} from this app? Mail on the server is not touched.`)) return;
    const ok = await attempt(async () => {
      await api.removeAccount(name);
      return true;
    });
    if (ok) toast({ level: 'info', message: `${name} removed.` });
  };

  return (
    <section className="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Your accounts</h2>
      {!accounts?.length && <p className="hint">No account yet.</p>}
      {accounts?.map((a) => {
        const s = status?.find((x) => x.account === a.name);
        const errors = s?.folders.filter((f) => f.lastError) ?? [];
        const signIn = signInStatus(a, (iso) => formatAt(iso));
        return (
          <div className="account-row" key={a.name} data-testid="account-row" data-account={a.name} data-token-state={a.tokenState ?? ''}>
            <div className="grow">
              <div className="inline wrap">
                <b>{a.name}</b>
                {a.demo && <span className="badge warn">sample mail</span>}
                <span className="hint" data-testid="sign-in-method">
                  {a.auth === 'oauth2' ? `signs in with ${signIn.method}` : a.demo ? '' : 'signs in with a password'}
                </span>
                {signIn.label && (
                  <span className={`badge ${signIn.tone === 'ok' ? 'pass' : signIn.tone === 'fail' ? 'fail' : 'warn'}`} data-testid="token-state">
                    {signIn.label}
                  </span>
                )}
              </div>
              <div className="hint">
                {a.user} on {a.demo ? 'no server' : a.imapHost} · {s ? `${s.messages} messages, ${s.folders.filter((f) => f.synced).length} folders · last sync ${s.lastSyncAt ? formatAt(s.lastSyncAt) : 'never'}` : '…'}
              </div>
              {signIn.detail && (
                <div className={signIn.needsSignIn ? 'error-text' : 'hint'} data-testid="token-detail">
                  {signIn.detail}
                </div>
              )}
              {!signIn.needsSignIn &&
                errors.map((f) => (
                  <div className="error-text" key={f.path}>
                    {f.path}: {f.lastError}
                  </div>
                ))}
              {progressOf(a.name)}
            </div>
            <div className="inline wrap">
              {signIn.needsSignIn && (
                <button className="btn small primary" disabled={busy} onClick={() => onSignInAgain(a)} data-testid="sign-in-again">
                  Sign in again
                </button>
              )}
              {!a.demo && !signIn.needsSignIn && (
                <button className="btn small" onClick={() => void attempt(() => api.sync({ account: a.name }))} data-testid="sync-account">
                  Sync
                </button>
              )}
              {!a.demo && (
                <button className="btn small" onClick={() => onEdit(a)} data-testid="edit-account">
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
  );
}
