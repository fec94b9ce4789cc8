// The settings the Settings view edits, kept in the store's prefs as one document
// (_id 'setting:app', kind 'setting'), so the CLI and the service read the same values.
import type { AppSettings } from '../api.js';
import type { Store } from '../store/store.js';

export const SETTINGS_ID = 'setting:app';

export const DEFAULT_SETTINGS: AppSettings = Object.freeze({
  businessHours: { start: '09:00', end: '17:00' },
  minAgeHours: 24,
  template: '',
  syncMinutes: 10,
  startAtLogin: null,
}) as AppSettings;

/** Stored values checked again on the way out: a hand-edited store must not break the app. */
function clean(doc: Record<string, unknown> | null): AppSettings {
  const s: AppSettings = { ...DEFAULT_SETTINGS, businessHours: { ...DEFAULT_SETTINGS.businessHours } };
  if (!doc) return s;
  const hours = doc.businessHours as { start?: unknown; end?: unknown } | undefined;
  const clock = (v: unknown) => typeof v === 'string' && /^([01]\d|2[0-4]):[0-5]\d$/.test(v);
  if (hours && clock(hours.start) && clock(hours.end)) s.businessHours = { start: hours.start as string, end: hours.end as string };
  if (typeof doc.minAgeHours === 'number' && doc.minAgeHours >= 0) s.minAgeHours = doc.minAgeHours;
  if (typeof doc.template === 'string') s.template = doc.template;
  if (typeof doc.syncMinutes === 'number' && Number.isInteger(doc.syncMinutes) && doc.syncMinutes >= 1) s.syncMinutes = doc.syncMinutes;
  return s;
}

export async function readSettings(store: Store): Promise<AppSettings> {
  return clean((await store.prefs.findOne({ _id: SETTINGS_ID })) as Record<string, unknown> | null);
}

export async function writeSettings(store: Store, patch: Partial<AppSettings>): Promise<AppSettings> {
  const next = { ...(await readSettings(store)), ...patch };
  const { startAtLogin: _platform, ...stored } = next;
  await store.prefs.update({ _id: SETTINGS_ID }, { _id: SETTINGS_ID, kind: 'setting', ...stored }, { upsert: true });
  return next;
}
