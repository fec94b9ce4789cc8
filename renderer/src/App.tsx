// The window: navigation, sync progress, the current view, shortcuts (footer and ? overlay),
// toasts, and the welcome screen when there is no account yet.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Counts, OAuthProviderId, SyncProgress } from '../../main/core/api';
import { prefetchApiData, useShared, type Shortcut } from './context';
import { Kbd } from './components/Kbd';
import { Dialog, dialogOpen } from './components/Dialog';
import { GLOBAL_KEYS, VIEW_KEYS, VIEW_TITLES, ariaKeys, keyOf, type ViewId } from './shortcuts';
import { UNANSWERED_HEAD, UNANSWERED_HEAD_KEY, UnansweredView } from './views/Unanswered';
import { JunkView } from './views/Junk';
import { QueueView } from './views/Queue';
import { AccountsView } from './views/Accounts';
import { SettingsView } from './views/Settings';
import { formatAt } from './time';
import { applyTheme, loadTheme, resolveTheme, type ThemeChoice } from './theme';
import { showNotification } from './notifications';

export type View = ViewId;
const VIEWS: { id: View; label: string; key: string }[] = (['unanswered', 'junk', 'queue', 'accounts', 'settings'] as const).map((id, i) => ({
  id,
  label: VIEW_TITLES[id],
  key: String(i + 1),
}));

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

function Welcome({ onAdd, onDemo }: { onAdd(): void; onDemo(): void }) {
  return (
    <div className="welcome" data-testid="welcome">
      <div className="welcome-card">
        <h1>Get your email answered</h1>
        <p>Inbox Triage looks at the mail you already have and shows you three things:</p>
        <ul>
          <li>mail you sent that is still waiting for a reply,</li>
          <li>mail from people you know that landed in Junk,</li>
          <li>polite follow-ups, sent in the recipient’s business hours.</li>
        </ul>
        <p className="hint">It reads headers over IMAP and keeps them on this computer. Nothing leaves it but the follow-ups you ask for.</p>
        <div className="actions">
          <button className="btn primary" onClick={onAdd} data-testid="welcome-add">
            Add an account
          </button>
          <button className="btn" onClick={onDemo} data-testid="welcome-demo">
            Explore with sample mail
          </button>
        </div>
      </div>
    </div>
  );
}

export function App() {
  const { api, accounts, attempt, toast, toasts, dismissToast, viewShortcuts } = useShared();
  const [view, setView] = useState<View>('unanswered');
  const [theme, setThemeChoice] = useState<ThemeChoice>(loadTheme);
  const [shown, setShown] = useState<'light' | 'dark'>('light');
  const [help, setHelp] = useState(false);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [lastSync, setLastSync] = useState<string | null>(null);
  const [counts, setCounts] = useState<Partial<Record<View, number>>>({});
  const [skipWelcome, setSkipWelcome] = useState(false);
  /** "Open Settings → Sign-in apps" from Accounts: that provider's client id field. */
  const [settingsFocus, setSettingsFocus] = useState<OAuthProviderId | null>(null);
  useEffect(() => {
    if (view !== 'settings') setSettingsFocus(null);
  }, [view]);

  useEffect(() => {
    setShown(applyTheme(theme));
    if (theme !== 'system') return;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const on = () => setShown(applyTheme('system'));
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [theme]);

  const showCounts = useCallback((c: Counts | null) => {
    if (c) setCounts({ unanswered: c.unanswered, junk: c.junk, queue: c.queue });
  }, []);
  // The badges come with every change event; asked for once at start (no list is fetched for them).
  const refreshCounts = useCallback(async () => showCounts(await api.counts().catch(() => null)), [api, showCounts]);
  const refreshStatus = useCallback(async () => {
    const s = await api.status().catch(() => null);
    setLastSync(s?.map((a) => a.lastSyncAt).filter((x): x is string => !!x).sort().pop() ?? null);
  }, [api]);

  // Settled once the account list has come (the views are drawn from then on).
  const [accountsKnown] = useState(() => {
    let settle = () => undefined as void;
    const known = new Promise<void>((r) => (settle = r));
    return { known, settle };
  });
  useEffect(() => {
    if (accounts !== null) accountsKnown.settle();
  }, [accounts, accountsKnown]);

  useEffect(() => {
    // The first view's list, asked for while the accounts load (the same calls and keys as
    // views/Unanswered.tsx): its first rows, then the whole list once they and the accounts (which
    // the first rows wait for too) have come, so the few kB the first screen needs are not queued
    // behind the whole list's MBs in the server and the page (issue 13).
    const head = prefetchApiData(api, () => api.unansweredHead(UNANSWERED_HEAD), ['unanswered', 'queue'], UNANSWERED_HEAD_KEY);
    prefetchApiData(api, () => Promise.all([head, accountsKnown.known]).then(() => api.unanswered(undefined)), ['unanswered', 'queue'], [false]);
    void refreshCounts();
    void refreshStatus();
    return api.onEvent((e) => {
      if (e.type === 'sync-progress') {
        setProgress(e.progress.phase === 'done' ? null : e.progress);
      } else if (e.type === 'sync-done') {
        setProgress(null);
        void refreshStatus();
      } else if (e.type === 'changed') {
        showCounts(e.counts);
        if (e.what.includes('accounts')) void refreshStatus();
      } else if (e.type === 'notification') {
        // A click opens the list it is about.
        showNotification(e.notification, () => setView(e.notification.kind === 'junk' ? 'junk' : 'queue'));
      }
    });
  }, [api, refreshCounts, refreshStatus, showCounts, accountsKnown]);

  const sync = useCallback(async () => {
    setSyncing(true);
    const r = await attempt(() => api.sync());
    setSyncing(false);
    setProgress(null);
    if (r) toast({ level: 'info', message: r.length ? `Synced ${r.map((s) => s.account).join(', ')}.` : 'The sample mail has no server to sync with.' });
  }, [api, attempt, toast]);
  // From the previous choice, not from a render's `shown`: two presses before a re-render must undo each other.
  const toggleTheme = useCallback(() => setThemeChoice((prev) => (resolveTheme(prev) === 'dark' ? 'light' : 'dark')), []);
  const loadDemo = useCallback(async () => {
    const a = await attempt(() => api.loadDemo());
    if (a) {
      setView('unanswered');
      toast({ level: 'info', message: 'Sample mail loaded: a made-up designer’s mailbox. Try all three jobs; nothing leaves this computer.' });
    }
  }, [api, attempt, toast]);

  const runs: Record<(typeof GLOBAL_KEYS)[number]['key'], () => void> = {
    '1': () => setView('unanswered'),
    '2': () => setView('junk'),
    '3': () => setView('queue'),
    '4': () => setView('accounts'),
    '5': () => setView('settings'),
    'Shift+S': () => void sync(),
    'Shift+T': toggleTheme,
    '?': () => setHelp((h) => !h),
    ArrowDown: () => viewShortcuts.find((s) => s.key === 'j')?.run(),
    ArrowUp: () => viewShortcuts.find((s) => s.key === 'k')?.run(),
    Enter: () => viewShortcuts.find((s) => s.key === 'o')?.run(),
    Escape: () => {
      for (const t of toasts) dismissToast(t.id);
      (document.activeElement as HTMLElement | null)?.blur?.();
    },
  };
  const globalShortcuts: Shortcut[] = GLOBAL_KEYS.map((g) => ({ ...g, run: runs[g.key] }));

  // One listener for the window's life, calling this render's handler: a listener re-added in a
  // passive effect missed the latest state for a key pressed just after a render.
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => {});
  useLayoutEffect(() => {
    onKeyRef.current = (e: KeyboardEvent) => {
      // An open dialog has the keyboard (it closes itself on Esc).
      if (dialogOpen() || e.defaultPrevented) return;
      const k = keyOf(e);
      const typing = isTyping(e.target);
      if (typing && !k.startsWith('Ctrl+') && k !== 'Escape') return;
      const all = [...viewShortcuts, ...globalShortcuts];
      const hit = all.find((s) => s.key === k);
      if (!hit) return;
      if (k === 'Enter' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      e.preventDefault();
      hit.run();
    };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (accounts === null) return <div className="welcome hint">Loading…</div>;
  if (!accounts.length && !skipWelcome)
    return (
      <Welcome
        onAdd={() => {
          setSkipWelcome(true);
          setView('accounts');
        }}
        onDemo={() => void loadDemo()}
      />
    );

  const demo = accounts.some((a) => a.demo);
  const title = VIEWS.find((v) => v.id === view)!.label;
  return (
    <div className="app" data-view={view} data-theme-shown={shown}>
      <nav className="nav" aria-label="Views">
        <div className="brand">
          <span className="brand-mark">IT</span> Inbox Triage
        </div>
        {VIEWS.map((v) => (
          <button key={v.id} aria-current={view === v.id ? 'page' : undefined} aria-keyshortcuts={v.key} onClick={() => setView(v.id)} data-testid={`nav-${v.id}`}>
            <span>{v.label}</span>
            {/* The count is the badge a sighted user glances at; the name stays "Unanswered". */}
            <span className="inline" aria-hidden="true">
              {counts[v.id] !== undefined && <span className="count">{counts[v.id]!.toLocaleString()}</span>}
              <Kbd k={v.key} />
            </span>
          </button>
        ))}
        <div className="spacer" />
        <button onClick={toggleTheme} aria-keyshortcuts={ariaKeys('Shift+T')} data-testid="theme-toggle">
          <span>{shown === 'dark' ? 'Light theme' : 'Dark theme'}</span>
          <Kbd k="Shift+T" />
        </button>
        <button onClick={() => setHelp(true)} aria-keyshortcuts="?">
          <span>Shortcuts</span>
          <Kbd k="?" />
        </button>
        <div className="nav-foot">Nothing is sent while this computer is off.</div>
      </nav>

      <header className="topbar">
        <h1>{title}</h1>
        <span className="grow" />
        <div className="sync-status" role="status" aria-live="polite" data-testid="sync-status">
          {progress ? (
            <>
              <span>
                Syncing {progress.account} · {progress.folder} {progress.total ? `${progress.done}/${progress.total}` : progress.phase}
              </span>
              <div className="progress" aria-hidden="true">
                <div style={{ width: `${progress.total ? Math.round((100 * progress.done) / progress.total) : 5}%` }} />
              </div>
            </>
          ) : syncing ? (
            <span>Syncing…</span>
          ) : (
            <span>{lastSync ? `Last sync ${formatAt(lastSync)}` : 'Not synced yet'}</span>
          )}
        </div>
        <button className="btn" onClick={() => void sync()} disabled={syncing} aria-keyshortcuts={ariaKeys('Shift+S')} data-testid="sync">
          Sync now <Kbd k="Shift+S" />
        </button>
      </header>

      <main className="main" style={{ gridColumn: 2 }}>
        {demo && (
          <div className="banner" data-testid="demo-banner">
            <span className="grow" data-testid="demo-banner-text">
              You are exploring sample mail. <b>Nothing leaves this computer</b>: follow-ups are queued but never sent (Send now shows the exact mail), and Not junk moves the
              sample mail only here.
            </span>
            <button className="btn small" onClick={() => setView('accounts')}>
              Add your account
            </button>
          </div>
        )}
        {view === 'unanswered' && <UnansweredView />}
        {view === 'junk' && <JunkView />}
        {view === 'queue' && <QueueView />}
        {view === 'accounts' && (
          <AccountsView
            openSettings={(provider) => {
              setSettingsFocus(provider);
              setView('settings');
            }}
          />
        )}
        {view === 'settings' && <SettingsView theme={theme} setTheme={setThemeChoice} focus={settingsFocus} />}
      </main>

      <footer className="footer" aria-label="Keyboard shortcuts">
        {viewShortcuts
          .filter((s) => s.footer)
          .map((s) => (
            <span key={s.key}>
              <Kbd k={s.key} /> {s.label}
            </span>
          ))}
        <span>
          <Kbd k="j" />
          <Kbd k="k" /> move
        </span>
        <span>
          <Kbd k="?" /> all shortcuts
        </span>
      </footer>

      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.level}`} role={t.level === 'error' ? 'alert' : 'status'}>
            <span className="grow">{t.message}</span>
            {t.action && (
              <button
                className="btn small"
                onClick={() => {
                  t.action!.run();
                  dismissToast(t.id);
                }}
              >
                {t.action.label}
              </button>
            )}
            <button className="btn small" aria-label="Close" onClick={() => dismissToast(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>

      {help && (
        <Dialog title="Keyboard shortcuts" onClose={() => setHelp(false)} testId="shortcuts" wide>
          <div className="shortcut-columns">
            <table className="shortcut-table" data-testid="shortcuts-everywhere">
              <tbody>
                <ShortcutRows title="Everywhere" shortcuts={GLOBAL_KEYS} />
              </tbody>
            </table>
            {/* Every view's keys, the current one first: "?" shows them all (issue 15). */}
            {[view, ...VIEWS.map((v) => v.id).filter((id) => id !== view)].map((id) => (
              <table className="shortcut-table" key={id} data-testid={`shortcuts-${id}`}>
                <tbody>
                  <ShortcutRows title={`${VIEW_TITLES[id]}${id === view ? ' (this view)' : ''}`} shortcuts={VIEW_KEYS[id]} />
                </tbody>
              </table>
            ))}
          </div>
          <div className="actions">
            <button className="btn primary" onClick={() => setHelp(false)} data-autofocus>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

/** One titled group of the shortcut overlay. */
function ShortcutRows({ title, shortcuts }: { title: string; shortcuts: readonly { key: string; label: string }[] }) {
  return (
    <>
      <tr>
        <th colSpan={2} scope="colgroup">
          {title}
        </th>
      </tr>
      {shortcuts.map((s) => (
        <tr key={s.key} data-key={s.key}>
          <td>
            <Kbd k={s.key} />
          </td>
          <td>{s.label}</td>
        </tr>
      ))}
    </>
  );
}
