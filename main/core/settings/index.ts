// The app's settings (business hours, minimum age, follow-up template, sync interval): one stored
// document, checked once, read by the CLI and the apps alike.
export { DEFAULT_SETTINGS, SETTINGS_LIMITS, checkSettingsPatch, readSettings, settingsHours, settingsTemplate, settingsSignOffName, undoMinutes, writeSettings } from './app-settings.js';
