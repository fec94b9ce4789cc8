// Settings → Sign-in apps: the OAuth2 client ids "Sign in with Google / Microsoft" use. The app
// ships none (docs/OAUTH.md says how to register one); they are configuration, kept in Settings like
// the business hours, not in the keychain. A variable in the environment wins over these
// (auth/providers.ts resolveClient), and the page says so.
import { useEffect, useRef, type ReactNode } from 'react';
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
        <ClientField
          id="set-oauth-google"
          label="Google client id"
          value={f.google.clientId}
          placeholder="…apps.googleusercontent.com"
          onChange={(v) => onChange({ ...f, google: { ...f.google, clientId: v } })}
          hint={<>From Google Auth Platform → Clients (Application type: Desktop app).{envNote('google')}</>}
        />
        <ClientField
          id="set-oauth-google-secret"
          label="Google client secret"
          value={f.google.clientSecret}
          onChange={(v) => onChange({ ...f, google: { ...f.google, clientSecret: v } })}
          hint="Google gives desktop apps one too, and says it is not kept secret; its token endpoint still asks for it."
        />
        <ClientField
          id="set-oauth-microsoft"
          label="Microsoft client id"
          value={f.microsoft.clientId}
          placeholder="00000000-0000-0000-0000-000000000000"
          onChange={(v) => onChange({ ...f, microsoft: { clientId: v } })}
          hint={<>The Application (client) ID of an app registration in Microsoft Entra, for work, school and personal accounts.{envNote('microsoft')}</>}
        />
      </div>
    </>
  );
}

/** One labelled text field of the section, its hint read with it (aria-describedby). */
function ClientField({ id, label, value, placeholder, hint, onChange }: { id: string; label: string; value: string; placeholder?: string; hint: ReactNode; onChange(value: string): void }) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div className="field">
        <input id={id} value={value} placeholder={placeholder} autoComplete="off" spellCheck={false} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`} />
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      </div>
    </>
  );
}
