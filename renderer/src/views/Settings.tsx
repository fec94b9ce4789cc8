// Settings: the recipients' business hours, the minimum age of unanswered mail, the follow-up
// text, background sync, start at login (desktop only), the theme, and the sign-in apps (the
// OAuth2 client ids "Sign in with Google / Microsoft" use; configuration, not a secret).
import { useEffect, useState } from 'react';
import type { AppSettings, OAuthProviderId } from '../../../main/core/api';
import { SignInApps, clientsPatch, type ClientFields } from './SignInApps';
import { useShared, useViewKeys } from '../context';
import { Kbd } from '../components/Kbd';
import type { ThemeChoice } from '../theme';
import { askNotificationPermission, browserNotifications, notificationPermission, type BrowserPermission } from '../notifications';

const DEFAULT_TEMPLATE = 'Hi {firstName},\n\nI wanted to bring "{subject}" back to the top of your inbox in case it got buried. Did you have a chance to look at it?';

export function SettingsView({ theme, setTheme, focus }: { theme: ThemeChoice; setTheme(t: ThemeChoice): void; focus?: OAuthProviderId | null }) {
  const { api, attempt, toast } = useShared();
  const [s, setS] = useState<AppSettings | null>(null);
  const [permission, setPermission] = useState<BrowserPermission>(notificationPermission());
  const [clients, setClients] = useState<ClientFields | null>(null);
  useEffect(() => {
    void attempt(() => api.settings()).then((x) => x && setS(x));
  }, [api, attempt]);

  const save = async () => {
    if (!s) return;
    const { startAtLogin, oauthClients: _stored, ...rest } = s;
    const patch = { ...rest, ...(startAtLogin === null ? {} : { startAtLogin }), ...(clients ? { oauthClients: clientsPatch(clients) } : {}) };
    // A cleared client id goes as null (validate.ts, settings/app-settings.ts), which the type of
    // the stored settings has no room for.
    const r = await attempt(() => api.saveSettings(patch as Partial<AppSettings>));
    if (r) {
      setS(r);
      setClients(null);
      toast({ level: 'info', message: 'Settings saved.' });
    }
  };
  useViewKeys('settings', { 'Ctrl+s': () => void save() });

  if (!s) return <div className="page hint">Loading…</div>;
  const set = (patch: Partial<AppSettings>) => setS({ ...s, ...patch });
  return (
    <div className="page">
      <form
        className="card"
        aria-label="Settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2>Follow-ups</h2>
        <div className="form-grid">
          <label htmlFor="set-start">Business hours</label>
          <div className="inline wrap">
            <input id="set-start" type="time" value={s.businessHours.start} onChange={(e) => set({ businessHours: { ...s.businessHours, start: e.target.value } })} />
            <span>to</span>
            <input aria-label="Business hours end" type="time" value={s.businessHours.end} onChange={(e) => set({ businessHours: { ...s.businessHours, end: e.target.value } })} />
            <span className="hint">in each recipient’s own time zone, on their working days</span>
          </div>
          <label htmlFor="set-age">Minimum age</label>
          <div className="inline wrap">
            <input id="set-age" type="number" min={0} max={2160} value={s.minAgeHours} onChange={(e) => set({ minAgeHours: Number(e.target.value) })} />
            <span className="hint">hours before a sent mail counts as unanswered</span>
          </div>
          <label htmlFor="set-undo">Undo window</label>
          <div className="inline wrap">
            <input id="set-undo" type="number" min={0} max={120} value={s.undoMinutes} onChange={(e) => set({ undoMinutes: Number(e.target.value) })} aria-describedby="set-undo-hint" />
            <span className="hint" id="set-undo-hint">
              minutes a follow-up waits after you queue or change it, so you can take it back
            </span>
          </div>
          <label htmlFor="set-signoff">Sign with</label>
          <div className="inline wrap">
            <input id="set-signoff" value={s.signOffName} placeholder="the name your sent mail shows" onChange={(e) => set({ signOffName: e.target.value })} aria-describedby="set-signoff-hint" />
            <span className="hint" id="set-signoff-hint">
              follow-ups end with “Best regards,” and this name
            </span>
          </div>
          <label htmlFor="set-template">Follow-up text</label>
          <span className="hint">{'{firstName}'} and {'{subject}'} are filled in; the sign-off and the quoted original follow. Empty: the built-in text.</span>
        </div>
        <textarea id="set-template" value={s.template} placeholder={DEFAULT_TEMPLATE} onChange={(e) => set({ template: e.target.value })} />

        <h2 className="spaced">App</h2>
        <div className="form-grid">
          <label htmlFor="set-sync">Sync every</label>
          <div className="inline wrap">
            <input id="set-sync" type="number" min={1} max={1440} value={s.syncMinutes} onChange={(e) => set({ syncMinutes: Number(e.target.value) })} />
            <span className="hint">minutes</span>
          </div>
          <label htmlFor="set-live">Connections per account</label>
          <div className="inline wrap">
            <input
              id="set-live"
              type="number"
              min={1}
              max={15}
              value={s.connectionsPerAccount}
              onChange={(e) => set({ connectionsPerAccount: Number(e.target.value) })}
              aria-describedby="set-live-hint"
            />
            <span className="hint" id="set-live-hint">
              one syncs, the others watch for new mail so replies show within seconds (1: no watching). Gmail allows 15 in all, shared with your other apps.
            </span>
          </div>
          <label htmlFor="set-notify">Notifications</label>
          <div className="inline wrap">
            <input
              id="set-notify"
              type="checkbox"
              checked={s.notifications}
              onChange={(e) => {
                const on = e.target.checked;
                set({ notifications: on });
                // A browser asks its user once, and only after a click like this one.
                if (on && browserNotifications()) void askNotificationPermission().then(setPermission);
              }}
              aria-describedby="set-notify-hint"
            />
            <span className="hint" id="set-notify-hint">
              {notificationHint(permission)}
            </span>
            {s.notifications && permission === 'default' && (
              <button type="button" className="btn small" data-testid="allow-notifications" onClick={() => void askNotificationPermission().then(setPermission)}>
                Allow in this browser
              </button>
            )}
          </div>
          <label htmlFor="set-login">Start at login</label>
          <div className="inline wrap">
            <input id="set-login" type="checkbox" disabled={s.startAtLogin === null} checked={!!s.startAtLogin} onChange={(e) => set({ startAtLogin: e.target.checked })} />
            <span className="hint">
              {s.startAtLogin === null
                ? 'Only the desktop app can start at login.'
                : 'The app keeps running in the tray when its window is closed, so follow-ups go out while the computer is on. Nothing is sent while it is off.'}
            </span>
          </div>
          <label htmlFor="set-theme">Theme</label>
          <div className="inline wrap">
            <select id="set-theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
              <option value="system">Same as the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
            <span className="hint">
              <Kbd k="Shift+T" /> switches
            </span>
          </div>
        </div>
        <SignInApps stored={s.oauthClients ?? {}} fields={clients} onChange={setClients} focus={focus ?? null} />
        <div className="actions">
          <button type="submit" className="btn primary" aria-keyshortcuts="Control+S" data-testid="save-settings">
            Save <Kbd k="Ctrl+s" />
          </button>
        </div>
      </form>
    </div>
  );
}

/** What the notifications setting does here, and what the browser allows. */
function notificationHint(permission: BrowserPermission): string {
  const what = 'follow-ups sent, cancelled by a reply or held when late, and known contacts in Junk; grouped';
  if (permission === 'unsupported') return `${what}.`;
  if (permission === 'denied') return `${what}. This browser blocks them here: allow notifications in its site settings.`;
  if (permission === 'default') return `${what}. This browser asks first.`;
  return `${what}.`;
}
