// Every keyboard shortcut the app advertises, in one place: the "?" overlay lists them all (each
// view's too), the footer the most used, the buttons name them in aria-keyshortcuts, and the e2e
// test presses each one. The views bind a function to each key of their list.

export interface KeySpec {
  /** As keyOf() reads an event: "r", "Shift+S", "Ctrl+s", "ArrowDown", "?". */
  key: string;
  label: string;
  /** Shown in the footer (the most used ones). */
  footer?: boolean;
}

export const GLOBAL_KEYS = [
  { key: '1', label: 'Go to Unanswered' },
  { key: '2', label: 'Go to Rescued from Junk' },
  { key: '3', label: 'Go to Follow-ups' },
  { key: '4', label: 'Go to Accounts' },
  { key: '5', label: 'Go to Settings' },
  { key: 'Shift+S', label: 'Sync now' },
  { key: 'Shift+T', label: 'Switch light / dark' },
  { key: '?', label: 'Show keyboard shortcuts' },
  { key: 'ArrowDown', label: 'Next (also j)' },
  { key: 'ArrowUp', label: 'Previous (also k)' },
  { key: 'Enter', label: 'Open (also o)' },
  { key: 'Escape', label: 'Close a dialog, or leave a text field' },
] as const satisfies readonly KeySpec[];

export const VIEW_KEYS = {
  unanswered: [
    { key: 'j', label: 'Next' },
    { key: 'k', label: 'Previous' },
    { key: 'r', label: 'Resend: preview a follow-up', footer: true },
    { key: 'd', label: 'Dismiss: no reply expected (in Dismissed: restore)', footer: true },
    { key: 'z', label: 'Undo the last dismiss or follow-up', footer: true },
    { key: 'c', label: 'Copy the address (bounced mail)' },
    { key: 'f', label: 'Show dismissed mail, or back to awaiting' },
    { key: 'o', label: 'Open the conversation', footer: true },
  ],
  junk: [
    { key: 'j', label: 'Next' },
    { key: 'k', label: 'Previous' },
    { key: 'n', label: 'Not junk: move to Inbox', footer: true },
    { key: 'z', label: 'Undo the last Not junk or Trust', footer: true },
    { key: 't', label: 'Trust this sender', footer: true },
    { key: 'o', label: 'Open the message', footer: true },
  ],
  queue: [
    { key: 'j', label: 'Next' },
    { key: 'k', label: 'Previous' },
    { key: 's', label: 'Send now (asks first)', footer: true },
    { key: 'e', label: 'Edit the text (Ctrl+Enter saves)', footer: true },
    { key: 'l', label: 'Reschedule (pick a later time)', footer: true },
    { key: 'c', label: 'Cancel the follow-up', footer: true },
    { key: 'z', label: 'Undo the last cancel' },
    { key: 'p', label: 'Cancel the rest of its plan' },
    { key: 'y', label: 'Send a held (late) follow-up anyway' },
  ],
  accounts: [{ key: 'a', label: 'Add an account', footer: true }],
  settings: [{ key: 'Ctrl+s', label: 'Save settings', footer: true }],
} as const satisfies Record<string, readonly KeySpec[]>;

export type ViewId = keyof typeof VIEW_KEYS;
export type ViewKey<V extends ViewId> = (typeof VIEW_KEYS)[V][number]['key'];

export const VIEW_TITLES: Record<ViewId, string> = {
  unanswered: 'Unanswered',
  junk: 'Rescued from Junk',
  queue: 'Follow-ups',
  accounts: 'Accounts',
  settings: 'Settings',
};

/** An event as the lists above spell keys: a shifted letter is "Shift+" and upper case. */
export function keyOf(e: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): string {
  const letter = e.key.length === 1 && /[a-z]/i.test(e.key);
  const k = letter ? (e.shiftKey ? e.key.toUpperCase() : e.key.toLowerCase()) : e.key;
  return `${e.ctrlKey || e.metaKey ? 'Ctrl+' : ''}${letter && e.shiftKey ? 'Shift+' : ''}${k}`;
}

/** A key as aria-keyshortcuts writes it (WAI-ARIA 1.2: modifiers by name, "+" between). */
export function ariaKeys(key: string): string {
  return key.replace('Ctrl+', 'Control+').replace(/\+([a-z])$/, (_, c: string) => `+${c.toUpperCase()}`);
}

/** How a key looks on the keycap. */
export function keyCap(key: string): string {
  return key.replace('Shift+', '⇧').replace('Ctrl+', 'Ctrl ').replace('ArrowDown', '↓').replace('ArrowUp', '↑').replace('Escape', 'Esc');
}
