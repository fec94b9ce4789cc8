// The window: navigation, sync progress, the current view, shortcuts (footer and ? overlay),
// toasts, and the welcome screen when there is no account yet.
import { useCallback, useEffect, useState } from 'react';
import type { Counts, SyncProgress } from '../../main/core/api';
import { useShared, type Shortcut } from './context';
import { Kbd } from './components/Kbd';
import { UnansweredView } from './views/Unanswered';
import { JunkView } from './views/Junk';
import { QueueView } from './views/Queue';
import { AccountsView } from './views/Accounts';
import { SettingsView } from './views/Settings';
import { formatAt } from './time';
import { applyTheme, loadTheme, type ThemeChoice } from './theme';

export type View = 'unanswered' | 'junk' | 'queue' | 'accounts' | 'settings';
const VIEWS: { id: View; label: string; key: string }[] = [
  { id: 'unanswered', label: 'Unanswered', key: '1' },
  { id: 'junk', label: 'Rescued from Junk', key: '2' },
  { id: 'queue', label: 'Follow-ups', key: '3' },
  { id: 'accounts', label: 'Accounts', key: '4' },
  { id: 'settings', label: 'Settings', key: '5' },
];

function keyOf(e: KeyboardEvent): string {
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return `${e.ctrlKey || e.metaKey ? 'Ctrl+' : ''}${e.shiftKey && e.key.length === 1 && /[a-z]/i.test(e.key) ? 'Shift+' : ''}${k}`;
}

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

  useEffect(() => {
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
      }
    });
  }, [api, refreshCounts, refreshStatus, showCounts]);

  const sync = useCallback(async () => {
    setSyncing(true);
    const r = await attempt(() => api.sync());
    setSyncing(false);
    setProgress(null);
    if (r) toast({ level: 'info', message: r.length ? `Synced ${r.map((s) => s.account).join(', ')}.` : 'The sample mail has no server to sync with.' });
  }, [api, attempt, toast]);
  const toggleTheme = useCallback(() => setThemeChoice(shown === 'dark' ? 'light' : 'dark'), [shown]);
  const loadDemo = useCallback(async () => {
    const a = await attempt(() => api.loadDemo());
    if (a) {
      setView('unanswered');
      toast({ level: 'info', message: 'Sample mail loaded: a made-up designer’s mailbox. Actions that need a server are unavailable here.' });
    }
  }, [api, attempt, toast]);

  const globalShortcuts: Shortcut[] = [
    ...VIEWS.map((v) => ({ key: v.key, label: `Go to ${v.label}`, run: () => setView(v.id) })),
    { key: 'Shift+S', label: 'Sync now', run: () => void sync() },
    { key: 'Shift+T', label: 'Switch light / dark', run: toggleTheme },
    { key: '?', label: 'Show keyboard shortcuts', run: () => setHelp((h) => !h) },
    { key: 'ArrowDown', label: 'Next (also j)', run: () => viewShortcuts.find((s) => s.key === 'j')?.run() },
    { key: 'ArrowUp', label: 'Previous (also k)', run: () => viewShortcuts.find((s) => s.key === 'k')?.run() },
    { key: 'Enter', label: 'Open (also o)', run: () => viewShortcuts.find((s) => s.key === 'o')?.run() },
  ];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setHelp(false);
        for (const t of toasts) dismissToast(t.id);
        (document.activeElement as HTMLElement | null)?.blur?.();
        return;
      }
      const k = keyOf(e);
      const typing = isTyping(e.target);
      if (typing && !k.startsWith('Ctrl+')) return;
      const all = [...viewShortcuts, ...globalShortcuts];
      const hit = all.find((s) => s.key === k || (s.key === '?' && e.key === '?'));
      if (!hit) return;
      if (k === 'Enter' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      e.preventDefault();
      hit.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

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
          <button key={v.id} aria-current={view === v.id ? 'page' : undefined} onClick={() => setView(v.id)} data-testid={`nav-${v.id}`}>
            <span>{v.label}</span>
            <span className="inline">
              {counts[v.id] !== undefined && <span className="count">{counts[v.id]!.toLocaleString()}</span>}
              <Kbd k={v.key} />
            </span>
          </button>
        ))}
        <div className="spacer" />
        <button onClick={toggleTheme} data-testid="theme-toggle">
          <span>{shown === 'dark' ? 'Light theme' : 'Dark theme'}</span>
          <Kbd k="Shift+T" />
        </button>
        <button onClick={() => setHelp(true)}>
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
        <button className="btn" onClick={() => void sync()} disabled={syncing} data-testid="sync">
          Sync now <Kbd k="Shift+S" />
        </button>
      </header>

      <main className="main" style={{ gridColumn: 2 }}>
        {demo && (
          <div className="banner" data-testid="demo-banner">
            <span className="grow">You are exploring sample mail: nothing here is real, and actions that need a mail server are unavailable.</span>
            <button className="btn small" onClick={() => setView('accounts')}>
              Add your account
            </button>
          </div>
        )}
        {view === 'unanswered' && <UnansweredView />}
        {view === 'junk' && <JunkView />}
        {view === 'queue' && <QueueView />}
        {view === 'accounts' && <AccountsView />}
        {view === 'settings' && <SettingsView theme={theme} setTheme={setThemeChoice} />}
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
        <div className="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={() => setHelp(false)}>
          <div className="dialog" onClick={(e) => e.stopPropagation()}>
            <h2>Keyboard shortcuts</h2>
            <table className="shortcut-table">
              <tbody>
                <ShortcutRows title={title} shortcuts={viewShortcuts} />
                <ShortcutRows title="Everywhere" shortcuts={[...globalShortcuts, { key: 'Esc', label: 'Close, or leave a text field' }]} />
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

/** One titled group of the shortcut overlay. */
function ShortcutRows({ title, shortcuts }: { title: string; shortcuts: readonly { key: string; label: string }[] }) {
  return (
    <>
      <tr>
        <th colSpan={2}>{title}</th>
      </tr>
      {shortcuts.map((s) => (
        <tr key={s.key}>
          <td>
            <Kbd k={s.key} />
          </td>
          <td>{s.label}</td>
        </tr>
      ))}
    </>
  );
}
