// The app binding, shared by the desktop app (main/electron) and `triage serve` (main/serve): the
// service as a typed AppApi with change events, the validated entry point for a client's call,
// the background sync and sender, and the page's Content-Security-Policy.
export { bindApi, signInRequiredEvents, type BindOptions } from './bind.js';
export { invoke } from './invoke.js';
export { ApiEvents } from './events.js';
export { startBackground, type Background, type BackgroundOptions, type LiveHandle } from './background.js';
export { notificationsFor, type AppNotification, type NotificationKind, type NotifySnapshot } from './notifications.js';
export { validateArgs, isApiMethod } from './validate.js';
export { CONTENT_SECURITY_POLICY } from './csp.js';
export { afterFirstAnswer } from './quiet.js';
