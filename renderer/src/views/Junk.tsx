// Mail from known contacts found in Junk ("Not junk" with undo, "Trust sender"), and a separate,
// clearly marked section of mail that only pretends to be from them.
import { EmptyList, ListError, isEntry, sectionedRowHeight } from '../components/ListStates';
import { useMemo, useState } from 'react';
import type { JunkEntry } from '../../../main/core/api';
import { useApiData, useShared, useViewKeys } from '../context';
import { Dialog } from '../components/Dialog';
import { VirtualList } from '../components/VirtualList';
import { Conversation } from '../components/Conversation';
import { Kbd } from '../components/Kbd';
import { errorOf } from '../bridge';
import { formatAt } from '../time';
import { useSectionedSelection, type Sectioned } from './useSelection';

type Item = Sectioned<{ verdict: 'rescue' | 'suspicious'; count: number }, JunkEntry>;

interface Auth {
  spf?: string | null;
  dkim?: string | null;
  dmarc?: string | null;
}

function AuthBadges({ entry }: { entry: JunkEntry }) {
  const auth = (entry.auth ?? null) as Auth | null;
  if (!auth) return null;
  return (
    <span className="inline wrap" aria-label="Authentication">
      {(['spf', 'dkim', 'dmarc'] as const).map((k) => {
        const v = auth[k];
        if (!v) return null;
        const cls = v === 'pass' ? 'pass' : v === 'fail' || v === 'softfail' ? 'fail' : '';
        return (
          <span key={k} className={`badge ${cls}`}>
            {k.toUpperCase()} {v}
          </span>
        );
      })}
    </span>
  );
}

export function JunkView() {
  const { api, attempt, toast } = useShared();
  const { data, error } = useApiData(() => api.junk(), ['junk']);
  const items = useMemo<Item[]>(() => {
    const all = data ?? [];
    const rescue = all.filter((e) => e.verdict === 'rescue');
    const suspicious = all.filter((e) => e.verdict === 'suspicious');
    const out: Item[] = [{ kind: 'header', verdict: 'rescue', count: rescue.length }, ...rescue.map((entry) => ({ kind: 'entry' as const, entry }))];
    if (suspicious.length) out.push({ kind: 'header', verdict: 'suspicious', count: suspicious.length }, ...suspicious.map((entry) => ({ kind: 'entry' as const, entry })));
    return out;
  }, [data]);
  const sel = useSectionedSelection(items);
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState<JunkEntry | null>(null);
  const [lastRescued, setLastRescued] = useState<JunkEntry | null>(null);
  const [lastTrusted, setLastTrusted] = useState<string | null>(null);
  const entry = sel.selected?.kind === 'entry' ? sel.selected.entry : null;

  const undo = async (e: JunkEntry | null = lastRescued) => {
    if (!e) {
      if (lastTrusted) return void untrust(lastTrusted);
      return toast({ level: 'info', message: 'Nothing to undo here.' });
    }
    const r = await attempt(() => api.rescue(e.id, { undo: true }));
    if (r) {
      setLastRescued(null);
      toast({ level: 'info', message: `Moved back to ${r.folder}.` });
    }
  };
  const untrust = async (target: string) => {
    const ok = await attempt(async () => {
      await api.untrust(target);
      return true;
    });
    if (ok) {
      setLastTrusted(null);
      toast({ level: 'info', message: `${target} is no longer trusted.` });
    }
  };
  const notJunk = async (force = false) => {
    const e = entry;
    if (!e) return;
    if (e.verdict === 'suspicious' && !force) return setConfirm(e);
    setConfirm(null);
    try {
      const r = await api.rescue(e.id, force ? { force: true } : {});
      setLastRescued(e);
      setLastTrusted(null);
      toast({ level: 'info', message: `"${e.subject}" moved to ${r.folder}${r.note ? ` (${r.note})` : ''}.`, action: { label: 'Undo', run: () => void undo(e) } });
    } catch (err) {
      const x = errorOf(err);
      if (x.code === 'needs-force' && !force) return setConfirm(e);
      toast({ level: x.code === 'unavailable' ? 'warn' : 'error', message: x.message });
    }
  };
  const trust = async () => {
    const e = entry;
    if (!e) return;
    const ok = await attempt(async () => {
      await api.trust(e.from, 'trusted');
      return true;
    });
    if (!ok) return;
    setLastRescued(null);
    setLastTrusted(e.from);
    toast({ level: 'info', message: `${e.from} is trusted: their mail will always be offered back.`, action: { label: 'Undo', run: () => void untrust(e.from) } });
  };

  useViewKeys('junk', {
    j: () => sel.move(1),
    k: () => sel.move(-1),
    n: () => void notJunk(),
    z: () => void undo(),
    t: () => {
      if (entry?.verdict === 'suspicious') return toast({ level: 'warn', message: 'A suspicious mail’s sender cannot be trusted from here: it only looks like someone you know.' });
      void trust();
    },
    o: () => setOpen((o) => !o),
  });

  const rescueCount = (data ?? []).filter((e) => e.verdict === 'rescue').length;
  return (
    <div className="split">
      <div className="list-pane">
        <div className="list-tools">
          <span data-testid="junk-count">
            {data === null ? 'Loading…' : `${rescueCount} to rescue, ${data.length - rescueCount} suspicious`}
          </span>
        </div>
        <ListError error={error} />
        {data && !data.length ? (
          <EmptyList title="No known contact in Junk.">Spam from strangers is left where it is.</EmptyList>
        ) : (
          <VirtualList
            items={items}
            rowHeight={sectionedRowHeight}
            isOption={isEntry}
            selected={sel.index}
            onSelect={sel.select}
            onOpen={(i) => {
              sel.select(i);
              setOpen(true);
            }}
            label="Mail in Junk"
            testId="junk-list"
            rowClassName={(it) => (it.kind === 'header' ? `section-row ${it.verdict}` : it.entry.verdict === 'suspicious' ? 'row suspicious' : 'row')}
            renderRow={(it) =>
              it.kind === 'header' ? (
                <span data-testid={`section-${it.verdict}`}>
                  {it.verdict === 'rescue' ? `From people you know (${it.count})` : `⚠ Suspicious: pretends to be someone you know (${it.count})`}
                </span>
              ) : (
                <>
                  <div className="line1">
                    <span className="subject">{it.entry.subject || '(no subject)'}</span>
                    <span className="meta date">{formatAt(it.entry.receivedAt)}</span>
                  </div>
                  <div className="line2">
                    {/* On the second line, so a narrow list keeps the subject readable. */}
                    {it.entry.verdict === 'suspicious' && <span className="badge fail">suspicious</span>}
                    <span className="who">{(typeof it.entry.fromName === 'string' && it.entry.fromName ? `${it.entry.fromName} <${it.entry.from}>` : it.entry.from) as string}</span>
                    {/* The whole reason, cut by the width with an ellipsis; all of them in the details. */}
                    <span className="meta reason" title={it.entry.reasons.join('; ')}>
                      {it.entry.reasons[0]}
                    </span>
                  </div>
                </>
              )
            }
          />
        )}
      </div>
      <aside className="detail" aria-label="Details">
        {!entry ? (
          <p className="hint">Select a mail to see why it is listed.</p>
        ) : (
          <>
            <h2>{entry.subject || '(no subject)'}</h2>
            {entry.verdict === 'suspicious' && (
              <div className="warning-box" data-testid="suspicious-warning">
                ⚠ This mail only looks like it comes from someone you know. Do not pay, click or reply before checking with them another way.
              </div>
            )}
            <dl>
              <dt>From</dt>
              <dd>{typeof entry.fromName === 'string' && entry.fromName ? `${entry.fromName} <${entry.from}>` : entry.from}</dd>
              <dt>Received</dt>
              <dd>{formatAt(entry.receivedAt)}</dd>
              <dt>Account</dt>
              <dd>{entry.account}</dd>
              <dt>Checks</dt>
              <dd>
                <AuthBadges entry={entry} />
              </dd>
            </dl>
            <ul className="reasons">
              {entry.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            <div className="actions">
              <button className={`btn ${entry.verdict === 'rescue' ? 'primary' : 'danger'}`} onClick={() => void notJunk()} aria-keyshortcuts="n" data-testid="not-junk">
                Not junk <Kbd k="n" />
              </button>
              <button className="btn" onClick={() => void undo()} disabled={!lastRescued && !lastTrusted} aria-keyshortcuts="z" data-testid="undo">
                Undo <Kbd k="z" />
              </button>
              <button className="btn" onClick={trust} disabled={entry.verdict === 'suspicious'} aria-keyshortcuts="t" data-testid="trust">
                Trust sender <Kbd k="t" />
              </button>
              <button className="btn" onClick={() => setOpen((o) => !o)} aria-keyshortcuts="o">
                {open ? 'Hide' : 'Open'} <Kbd k="o" />
              </button>
            </div>
            {open && <Conversation id={entry.id} />}
          </>
        )}
      </aside>
      {confirm && (
        <Dialog title="Move suspicious mail to the Inbox?" onClose={() => setConfirm(null)} testId="confirm-suspicious">
          <p>
            “{confirm.subject}” from {confirm.from} looks forged: {confirm.reasons.join('; ')}.
          </p>
          <div className="actions">
            <button className="btn primary" onClick={() => setConfirm(null)} data-autofocus data-testid="keep-in-junk">
              Keep it in Junk
            </button>
            <button className="btn danger" onClick={() => void notJunk(true)} data-testid="confirm-force">
              Move anyway
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
