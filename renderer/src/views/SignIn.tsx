// "Sign in with Google" / "Sign in with Microsoft" in the Accounts view: the buttons, and the
// sign-in's progress until the browser comes back. The main process runs the flow (core/auth: PKCE,
// a one-shot listener on 127.0.0.1); the desktop app opens the system browser itself, while in
// `triage serve` this page opens the provider's URL (and always shows it as a link, in case the
// tab was blocked or closed). The user can cancel while waiting; every end has its own words.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OAuthProviderId, OAuthProviderInfo, SignInRequest } from '../../../main/core/api';
import { useNow, useShared } from '../context';
import { errorOf } from '../bridge';
import { PROVIDER_LABELS, isOpenableSignInUrl, signInFailure, timeLeft, type SignInState } from './sign-in-state';

/** How long "Signed in …" stays in place. */
const DONE_SHOWN_MS = 15_000;

export interface SignIn {
  state: SignInState;
  /** Start a sign-in (one at a time); resolves when it has ended, however. */
  begin(provider: OAuthProviderId, request: SignInRequest): Promise<void>;
  cancel(): void;
  reset(): void;
}

/** Opens the provider's page in a new tab of this browser (the serve case). */
function openInNewTab(url: string): void {
  if (!isOpenableSignInUrl(url)) return;
  // noopener: the provider's page gets no handle on this one (and COOP keeps them apart anyway).
  window.open(url, '_blank', 'noopener,noreferrer');
}

export function useSignIn({ onAdded }: { onAdded?(account: string): void } = {}): SignIn {
  const { api, claimSignIn } = useShared();
  const [state, setState] = useState<SignInState>({ phase: 'idle' });
  const cancelledHere = useRef(false);
  const flow = useRef<string | null>(null);
  const alive = useRef(true);
  const releases = useRef<(() => void)[]>([]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      // A sign-in still waiting goes on in the main process (the user may be in the browser);
      // its end is then a toast (context.tsx).
      if (flow.current) for (const release of releases.current) release();
    };
  }, []);
  const show = useCallback((s: SignInState) => alive.current && setState(s), []);

  const begin = useCallback(
    async (provider: OAuthProviderId, request: SignInRequest) => {
      const again = 'signInAgain' in request ? request.signInAgain : null;
      cancelledHere.current = false;
      show({ phase: 'starting', provider, again });
      let flowId: string;
      try {
        const start = await api.startSignIn(request);
        flowId = start.flowId;
        flow.current = flowId;
        releases.current.push(claimSignIn(flowId));
        if (!start.opened) openInNewTab(start.url);
        show({ phase: 'waiting', provider, again, flowId, url: start.url, opened: start.opened, expiresAt: start.expiresAt });
      } catch (e) {
        show({ phase: 'failed', provider, again, failure: signInFailure(provider, errorOf(e), false) });
        return;
      }
      try {
        const r = await api.finishSignIn(flowId);
        const name = r.account.name;
        const message = r.outcome === 'added' ? `Signed in with ${PROVIDER_LABELS[provider]}: ${name} is added and syncing now.` : `${name} is signed in again: its sync and follow-ups go on.`;
        show({ phase: 'done', provider, again, account: name, message });
        if (r.outcome === 'added') onAdded?.(name);
        // The words stay a while beside the form or the row, then make room.
        setTimeout(() => alive.current && setState((s) => (s.phase === 'done' && s.account === name ? { phase: 'idle' } : s)), DONE_SHOWN_MS);
        // The first sync (or the one that was paused); its errors come as notices.
        void api.sync({ account: name }).catch(() => undefined);
      } catch (e) {
        show({ phase: 'failed', provider, again, failure: signInFailure(provider, errorOf(e), cancelledHere.current) });
      } finally {
        if (flow.current === flowId) flow.current = null;
      }
    },
    [api, claimSignIn, onAdded, show],
  );

  const cancel = useCallback(() => {
    const id = flow.current;
    if (!id) return;
    cancelledHere.current = true;
    void api.cancelSignIn(id).catch(() => undefined);
  }, [api]);

  const reset = useCallback(() => show({ phase: 'idle' }), [show]);
  return { state, begin, cancel, reset };
}

/** The two buttons, the preset's provider first; a hint under one that has no client id yet. */
export function SignInButtons({ providers, preferred, busy, onSignIn }: { providers: OAuthProviderInfo[] | null; preferred: OAuthProviderId | null; busy: boolean; onSignIn(p: OAuthProviderId): void }) {
  const ids: OAuthProviderId[] = preferred === 'microsoft' ? ['microsoft', 'google'] : ['google', 'microsoft'];
  const missing = (providers ?? []).filter((p) => !p.configured).map((p) => p.label);
  return (
    <div className="field">
      <div className="inline wrap">
        {ids.map((id) => (
          <button key={id} type="button" className={`btn${id === preferred ? ' primary' : ''}`} disabled={busy} onClick={() => onSignIn(id)} data-testid={`sign-in-${id}`}>
            Sign in with {PROVIDER_LABELS[id]}
          </button>
        ))}
      </div>
      <span className="hint">
        Your browser opens {preferred ? PROVIDER_LABELS[preferred] : 'the provider'}’s own sign-in page; no password is typed here.
        {missing.length > 0 && ` ${missing.join(' and ')}: no client id yet (Settings → Sign-in apps).`}
      </span>
    </div>
  );
}

/** The sign-in's progress and its end, in words; the actions that fit each end. */
export function SignInProgress({
  signIn,
  appPasswordUrl,
  onOpenSettings,
  onRetry,
}: {
  signIn: SignIn;
  /** Where the chosen provider's app passwords are made (the no-client-id path), or null. */
  appPasswordUrl: string | null;
  onOpenSettings(): void;
  onRetry(): void;
}) {
  const { state } = signIn;
  const now = useNow(1000);
  if (state.phase === 'idle') return null;
  const label = PROVIDER_LABELS[state.provider];
  if (state.phase === 'starting') {
    return (
      <div className="note-box" role="status" data-testid="sign-in-status" data-phase="starting">
        Starting the sign-in with {label}…
      </div>
    );
  }
  if (state.phase === 'waiting') {
    return (
      <div className="note-box sign-in-box" role="status" data-testid="sign-in-status" data-phase="waiting">
        <div className="inline">
          <span className="spinner" aria-hidden="true" />
          <b>Waiting for {label}…</b>
          <span className="hint" aria-label="time left">
            {timeLeft(state.expiresAt, now)} left
          </span>
        </div>
        <p>
          {state.opened ? `Your browser opened ${label}’s sign-in page.` : `${label}’s sign-in page opened in a new tab (if it did not, open it below).`} Sign in as the account you typed and allow access to your mail; this page goes on by itself when you are done.
        </p>
        <div className="inline wrap">
          <a className="btn small" href={state.url} target="_blank" rel="noopener noreferrer" data-testid="sign-in-link">
            Open the sign-in page again
          </a>
          <button type="button" className="btn small" onClick={signIn.cancel} data-testid="sign-in-cancel">
            Cancel
          </button>
        </div>
      </div>
    );
  }
  if (state.phase === 'done') {
    return (
      <div className="note-box ok-box" role="status" data-testid="sign-in-status" data-phase="done">
        {state.message}
      </div>
    );
  }
  const { failure } = state;
  return (
    <div className={`note-box ${failure.kind === 'cancelled' ? '' : 'fail-box'}`} role={failure.kind === 'cancelled' ? 'status' : 'alert'} data-testid="sign-in-status" data-phase="failed" data-kind={failure.kind}>
      <b>{failure.title}.</b> <span data-testid="sign-in-message">{failure.message}</span>
      <div className="inline wrap spaced-top">
        {failure.kind === 'no-client' ? (
          <>
            <button type="button" className="btn small primary" onClick={onOpenSettings} data-testid="open-sign-in-apps">
              Open Settings → Sign-in apps
            </button>
            {appPasswordUrl && (
              <a className="btn small" href={appPasswordUrl} target="_blank" rel="noopener noreferrer">
                Create an app password
              </a>
            )}
          </>
        ) : (
          <button type="button" className="btn small" onClick={onRetry} data-testid="sign-in-retry">
            Try again
          </button>
        )}
        <button type="button" className="btn small" onClick={signIn.reset}>
          Close
        </button>
      </div>
    </div>
  );
}
