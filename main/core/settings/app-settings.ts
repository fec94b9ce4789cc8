// The settings the Settings view edits, kept in the store's prefs as one document (PREF_IDS.settings),
// so the CLI and the apps read the same values: `triage unanswered` without --min-age uses the
// minimum age set in the app. Checked here, once, for every client.
import type { AppSettings } from '../api.js';
import type { Store } from '../store/index.js';
import type { BusinessHours } from '../calendar/index.js';
import { parseHoursRange, storedHours } from '../calendar/index.js';
import { PREF_IDS, readPref, writePref } from '../store/index.js';
import { TriageError } from '../errors.js';

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
}) as AppSettings;

/** The one set of bounds (the API's argument checks look at types only). */
export const SETTINGS_LIMITS = Object.freeze({
  maxMinAgeHours: 24 * 90,
  maxTemplateChars: 20_000,
  maxSyncMinutes: 24 * 60,
  maxUndoMinutes: 120,
  maxSignOffChars: 100,
});

/** A name on one line: no line breaks (it goes into a mail), trimmed, capped. */
function cleanName(name: string): string {
  return name.replace(/[\r\n\t]+/g, ' ').trim().slice(0, SETTINGS_LIMITS.maxSignOffChars);
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
  if (typeof doc.undoMinutes === 'number' && Number.isInteger(doc.undoMinutes) && doc.undoMinutes >= 0 && doc.undoMinutes <= SETTINGS_LIMITS.maxUndoMinutes) {
    s.undoMinutes = doc.undoMinutes;
  }
  if (typeof doc.signOffName === 'string') s.signOffName = cleanName(doc.signOffName);
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
  return out;
}

/** Store a checked change (startAtLogin is the desktop app's own, never stored here). */
export async function writeSettings(store: Store, patch: Partial<AppSettings>): Promise<AppSettings> {
  const next = { ...(await readSettings(store)), ...checkSettingsPatch(patch) };
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
