// The settings the Settings view edits, kept in the store's prefs as one document (PREF_IDS.settings),
// so the CLI and the apps read the same values: `triage unanswered` without --min-age uses the
// minimum age set in the app. Checked here, once, for every client.
import type { AppSettings } from '../api.js';
import type { Store } from '../store/index.js';
import type { BusinessHours } from '../calendar/index.js';
import { parseHoursRange, storedHours } from '../calendar/index.js';
import { PREF_IDS, readPref, writePref } from '../store/index.js';
import { TriageError } from '../errors.js';
import { CLIENT_ID_PATTERN, OAUTH_PROVIDER_IDS } from '../auth/index.js';

export const DEFAULT_SETTINGS: AppSettings = Object.freeze({
  businessHours: Object.freeze({ start: '09:00', end: '17:00' }),
  minAgeHours: 24,
  template: '',
  syncMinutes: 10,
  startAtLogin: null,
  // Gmail's "Undo send" lasts at most 30 s; a follow-up is less urgent than a reply being typed,
  // so the app gives the user time to read it again (issue 15: default 10 minutes).
  undoMinutes: 10,
  signOffName: '',
  // Issue 12: "at most two connections per account": one for the sync, one in IDLE.
  connectionsPerAccount: 2,
  notifications: true,
}) as AppSettings;

/** The one set of bounds (the API's argument checks look at types only). */
export const SETTINGS_LIMITS = Object.freeze({
  maxMinAgeHours: 24 * 90,
  maxTemplateChars: 20_000,
  maxSyncMinutes: 24 * 60,
  maxUndoMinutes: 120,
  maxSignOffChars: 100,
  // Gmail's limit per user (shared with the user's other clients); most servers allow fewer.
  maxConnectionsPerAccount: 15,
});

type OAuthClients = NonNullable<AppSettings['oauthClients']>;

/** OAuth2 clients as stored or sent: a known provider, a client id of the right form, a secret
 *  of at most 200 characters. `strict`: a wrong one is an error (a patch), else dropped (the store). */
function oauthClients(v: unknown, strict: boolean): OAuthClients {
  const out: OAuthClients = {};
  const bad = (why: string) => {
    if (strict) throw new TriageError('bad-input', why);
  };
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    bad('The OAuth clients must be an object by provider (google, microsoft).');
    return out;
  }
  for (const [id, c] of Object.entries(v as Record<string, unknown>)) {
    if (!(OAUTH_PROVIDER_IDS as readonly string[]).includes(id)) {
      bad(`"${id.slice(0, 40)}" is not a sign-in provider: use google or microsoft.`);
      continue;
    }
    if (c === null) continue; // a patch clears a provider's client with null
    const { clientId, clientSecret } = (c ?? {}) as { clientId?: unknown; clientSecret?: unknown };
    if (typeof clientId !== 'string' || !CLIENT_ID_PATTERN.test(clientId.trim())) {
      bad(`The ${id} client id is not an OAuth client id (letters, digits and . _ : -, 3 to 200 characters).`);
      continue;
    }
    if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret.length > 200)) {
      bad(`The ${id} client secret must be text of at most 200 characters.`);
      continue;
    }
    out[id as keyof OAuthClients] = { clientId: clientId.trim(), ...(clientSecret ? { clientSecret: clientSecret as string } : {}) };
  }
  return out;
}

/** A name on one line: no line breaks (it goes into a mail), trimmed, capped. */
function cleanName(name: string): string {
  return name.replace(/[\r\n\t]+/g, ' ').trim().slice(0, SETTINGS_LIMITS.maxSignOffChars);
}

function isConnectionCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= SETTINGS_LIMITS.maxConnectionsPerAccount;
}

/** Stored values checked again on the way out: a hand-edited store must not break the app. */
function clean(doc: Record<string, unknown> | null): AppSettings {
  const s: AppSettings = { ...DEFAULT_SETTINGS, businessHours: { ...DEFAULT_SETTINGS.businessHours } };
  if (!doc) return s;
  const hours = storedHours(doc.businessHours);
  if (hours) s.businessHours = hours;
  if (typeof doc.minAgeHours === 'number' && doc.minAgeHours >= 0 && doc.minAgeHours <= SETTINGS_LIMITS.maxMinAgeHours) s.minAgeHours = doc.minAgeHours;
  if (typeof doc.template === 'string') s.template = doc.template.slice(0, SETTINGS_LIMITS.maxTemplateChars);
  if (typeof doc.syncMinutes === 'number' && Number.isInteger(doc.syncMinutes) && doc.syncMinutes >= 1 && doc.syncMinutes <= SETTINGS_LIMITS.maxSyncMinutes) {
    s.syncMinutes = doc.syncMinutes;
  }
  if (doc.oauthClients !== undefined) s.oauthClients = oauthClients(doc.oauthClients, false);
  if (typeof doc.undoMinutes === 'number' && Number.isInteger(doc.undoMinutes) && doc.undoMinutes >= 0 && doc.undoMinutes <= SETTINGS_LIMITS.maxUndoMinutes) {
    s.undoMinutes = doc.undoMinutes;
  }
  if (typeof doc.signOffName === 'string') s.signOffName = cleanName(doc.signOffName);
  if (isConnectionCount(doc.connectionsPerAccount)) s.connectionsPerAccount = doc.connectionsPerAccount;
  if (typeof doc.notifications === 'boolean') s.notifications = doc.notifications;
  return s;
}

export async function readSettings(store: Store): Promise<AppSettings> {
  return clean((await readPref(store, PREF_IDS.settings)) as Record<string, unknown> | null);
}

/** A change to the settings, checked field by field; a TriageError names the field that is wrong. */
export function checkSettingsPatch(patch: Partial<AppSettings>): Partial<AppSettings> {
  const out: Partial<AppSettings> = {};
  if (patch.businessHours !== undefined) {
    const h = patch.businessHours;
    const parsed = parseHoursRange(`${h?.start}-${h?.end}`);
    if (parsed.start >= parsed.end) throw new TriageError('bad-input', `Business hours must start before they end (${parsed.start}–${parsed.end}).`);
    out.businessHours = parsed;
  }
  if (patch.minAgeHours !== undefined) {
    const n = patch.minAgeHours;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > SETTINGS_LIMITS.maxMinAgeHours) {
      throw new TriageError('bad-input', `The minimum age must be 0 to ${SETTINGS_LIMITS.maxMinAgeHours} hours, not ${String(n)}.`);
    }
    out.minAgeHours = n;
  }
  if (patch.template !== undefined) {
    if (typeof patch.template !== 'string' || patch.template.length > SETTINGS_LIMITS.maxTemplateChars) {
      throw new TriageError('bad-input', `The follow-up template must be text of at most ${SETTINGS_LIMITS.maxTemplateChars} characters.`);
    }
    out.template = patch.template;
  }
  if (patch.syncMinutes !== undefined) {
    const n = patch.syncMinutes;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > SETTINGS_LIMITS.maxSyncMinutes) {
      throw new TriageError('bad-input', `Sync every 1 to ${SETTINGS_LIMITS.maxSyncMinutes} minutes, not ${String(n)}.`);
    }
    out.syncMinutes = n;
  }
  if (patch.oauthClients !== undefined) out.oauthClients = oauthClients(patch.oauthClients, true);
  if (patch.undoMinutes !== undefined) {
    const n = patch.undoMinutes;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > SETTINGS_LIMITS.maxUndoMinutes) {
      throw new TriageError('bad-input', `The undo window is 0 to ${SETTINGS_LIMITS.maxUndoMinutes} whole minutes, not ${String(n)}.`);
    }
    out.undoMinutes = n;
  }
  if (patch.signOffName !== undefined) {
    if (typeof patch.signOffName !== 'string' || patch.signOffName.length > SETTINGS_LIMITS.maxSignOffChars) {
      throw new TriageError('bad-input', `The name to sign with must be text of at most ${SETTINGS_LIMITS.maxSignOffChars} characters.`);
    }
    out.signOffName = cleanName(patch.signOffName);
  }
  if (patch.connectionsPerAccount !== undefined) {
    if (!isConnectionCount(patch.connectionsPerAccount)) {
      throw new TriageError('bad-input', `Connections per account must be a whole number from 1 (no live updates) to ${SETTINGS_LIMITS.maxConnectionsPerAccount}, not ${String(patch.connectionsPerAccount)}.`);
    }
    out.connectionsPerAccount = patch.connectionsPerAccount;
  }
  if (patch.notifications !== undefined) {
    if (typeof patch.notifications !== 'boolean') throw new TriageError('bad-input', 'Notifications are on (true) or off (false).');
    out.notifications = patch.notifications;
  }
  return out;
}

/** Store a checked change (startAtLogin is the desktop app's own, never stored here). */
export async function writeSettings(store: Store, patch: Partial<AppSettings>): Promise<AppSettings> {
  const current = await readSettings(store);
  const checked = checkSettingsPatch(patch);
  const next = { ...current, ...checked };
  if (checked.oauthClients) {
    // Per provider: a patch naming one provider keeps the other's client; null clears one.
    const merged = { ...current.oauthClients, ...checked.oauthClients };
    for (const [id, c] of Object.entries(patch.oauthClients ?? {})) if (c === null) delete merged[id as keyof typeof merged];
    next.oauthClients = merged;
  }
  const { startAtLogin: _platform, ...stored } = next;
  await writePref(store, { _id: PREF_IDS.settings, kind: 'setting', ...stored });
  return next;
}

/** The business hours the user set in Settings, or null when they never did (the default window). */
export async function settingsHours(store: Store): Promise<BusinessHours | null> {
  return storedHours((await readPref(store, PREF_IDS.settings))?.businessHours);
}

/** The follow-up template set in Settings, or null (the built-in texts). */
export async function settingsTemplate(store: Store): Promise<string | null> {
  const t = (await readSettings(store)).template;
  return t.trim() ? t : null;
}

/** The undo window set in Settings, in minutes. */
export async function undoMinutes(store: Store): Promise<number> {
  return (await readSettings(store)).undoMinutes;
}

/** The name set in Settings to sign follow-ups with, or null (the sent mail's display name). */
export async function settingsSignOffName(store: Store): Promise<string | null> {
  return (await readSettings(store)).signOffName || null;
}
