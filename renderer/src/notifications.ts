// Desktop notifications in a browser (`triage serve`): the server decides what to tell and sends
// it as a 'notification' event; the page shows it with the browser's Notification API once the
// user allowed it. Permission is asked only when the user turns notifications on in Settings (a
// click), never on load. The desktop app shows its own from the main process and never sends
// these events, so its window shows nothing twice.
import type { AppNotification } from '../../main/core/api';

export type BrowserPermission = 'granted' | 'denied' | 'default' | 'unsupported';

/** Whether the page runs in a browser that can show notifications (not in the desktop app). */
export function browserNotifications(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window && !/\bElectron\//.test(navigator.userAgent);
}

export function notificationPermission(): BrowserPermission {
  return browserNotifications() ? (Notification.permission as BrowserPermission) : 'unsupported';
}

/** Asks the browser (call it from a click); answers what it said. */
export async function askNotificationPermission(): Promise<BrowserPermission> {
  if (!browserNotifications()) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission as BrowserPermission;
  return (await Notification.requestPermission()) as BrowserPermission;
}

/** Shows one, when allowed; one per kind on screen at a time (the tag replaces the older one). */
export function showNotification(n: AppNotification, onClick: () => void): void {
  if (notificationPermission() !== 'granted') return;
  const shown = new Notification(n.title, { body: n.body, tag: `inbox-triage-${n.kind}` });
  shown.onclick = () => {
    window.focus();
    onClick();
    shown.close();
  };
}
