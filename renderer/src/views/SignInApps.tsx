// Settings → Sign-in apps: the OAuth2 client ids "Sign in with Google / Microsoft" use. The app
// ships none (docs/OAUTH.md says how to register one); they are configuration, kept in Settings like
// the business hours, not in the keychain. A variable in the environment wins over these
// (auth/providers.ts resolveClient), and the page says so.
import { useEffect, useRef } from 'react';
import type { AppSettings, OAuthProviderId } from '../../../main/core/api';
import { useApiData, useShared } from '../context';

export interface ClientFields {
  google: { clientId: string; clientSecret: string };
  microsoft: { clientId: string };
}

type StoredClients = NonNullable<AppSettings['oauthClients']>;

const fieldsOf = (stored: StoredClients): ClientFields => ({
  google: { clientId: stored.google?.clientId ?? '', clientSecret: stored.google?.clientSecret ?? '' },
  microsoft: { clientId: stored.microsoft?.clientId ?? '' },
});

/** The settings patch: an emptied client id clears that provider (null, settings/app-settings.ts). */
export function clientsPatch(f: ClientFields): Record<OAuthProviderId, { clientId: string; clientSecret?: string } | null> {
  const g = f.google.clientId.trim();
  const m = f.microsoft.clientId.trim();
  return {
    google: g ? { clientId: g, ...(f.google.clientSecret.trim() ? { clientSecret: f.google.clientSecret.trim() } : {}) } : null,
    microsoft: m ? { clientId: m } : null,
  };
}

export function SignInApps({
  stored,
  fields,
  onChange,
  focus,
}: {
  stored: StoredClients;
  /** What the user typed; null: unchanged (the stored clients are shown). */
  fields: ClientFields | null;
  onChange(f: ClientFields): void;
  /** Came here from "Open Settings → Sign-in apps": that provider's field gets the focus. */
  focus: OAuthProviderId | null;
}) {
  const { api } = useShared();
  const { data: providers } = useApiData(() => api.oauthProviders(), ['accounts']);
  const f = fields ?? fieldsOf(stored);
  const section = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!focus) return;
    section.current?.scrollIntoView({ block: 'start' });
    document.getElementById(`set-oauth-${focus}`)?.focus();
  }, [focus]);
  const fromEnvironment = (id: OAuthProviderId) => providers?.find((p) => p.id === id)?.clientIdSource === 'environment';
  const envNote = (id: OAuthProviderId) =>
    fromEnvironment(id) ? ` The environment's TRIAGE_OAUTH_${id.toUpperCase()}_CLIENT_ID is set and is used instead of this field.` : '';

  return (
    <>
      <h2 className="spaced" id="sign-in-apps" ref={section}>
        Sign-in apps
      </h2>
      <p className="hint">
        “Sign in with Google” and “Sign in with Microsoft” need a client id of your own: register a desktop app with Google, or with Microsoft Entra (the steps are in docs/OAUTH.md). A client id is
        not a password; each account keeps the one it signed in with.
      </p>
      <div className="form-grid" data-testid="sign-in-apps">
        <label htmlFor="set-oauth-google">Google client id</label>
        <div className="field">
          <input
            id="set-oauth-google"
            value={f.google.clientId}
            placeholder="…apps.googleusercontent.com"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange({ ...f, google: { ...f.google, clientId: e.target.value } })}
            aria-describedby="set-oauth-google-hint"
          />
          <span className="hint" id="set-oauth-google-hint">
            From Google Auth Platform → Clients (Application type: Desktop app).{envNote('google')}
          </span>
        </div>
        <label htmlFor="set-oauth-google-secret">Google client secret</label>
        <div className="field">
          <input
            id="set-oauth-google-secret"
            value={f.google.clientSecret}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange({ ...f, google: { ...f.google, clientSecret: e.target.value } })}
            aria-describedby="set-oauth-google-secret-hint"
          />
          <span className="hint" id="set-oauth-google-secret-hint">
            Google gives desktop apps one too, and says it is not kept secret; its token endpoint still asks for it.
          </span>
        </div>
        <label htmlFor="set-oauth-microsoft">Microsoft client id</label>
        <div className="field">
          <input
            id="set-oauth-microsoft"
            value={f.microsoft.clientId}
            placeholder="00000000-0000-0000-0000-000000000000"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange({ ...f, microsoft: { clientId: e.target.value } })}
            aria-describedby="set-oauth-microsoft-hint"
          />
          <span className="hint" id="set-oauth-microsoft-hint">
            The Application (client) ID of an app registration in Microsoft Entra, for work, school and personal accounts.{envNote('microsoft')}
          </span>
        </div>
      </div>
    </>
  );
}
