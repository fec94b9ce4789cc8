// Sent mail awaiting a reply, newest first: age, recipients, bounced and out-of-office marks, the
// recipient's local time; Resend (shows when it will go, in their time and yours), Dismiss, open.
import { EmptyList, ListError } from '../components/ListStates';
import { useEffect, useMemo, useState } from 'react';
import type { QueueEntry, UnansweredEntry } from '../../../main/core/api';
import { useApiData, useShared, useViewShortcuts } from '../context';
import { VirtualList } from '../components/VirtualList';
import { Conversation } from '../components/Conversation';
import { Kbd } from '../components/Kbd';
import { ageLabel, clockIn, formatAt, userZone, zoneLabel } from '../time';
import { useSelection } from './useSelection';

const zoneCache = new Map<string, string | null>();

/** The recipient's zone: from the entry when the service gives it, else the contact's. */
function useRecipientZone(entry: UnansweredEntry | null): string | null {
  const { api } = useShared();
  const address = entry?.to[0] ?? null;
  const given = entry && typeof entry.recipientTimeZone === 'string' ? entry.recipientTimeZone : null;
  const [zone, setZone] = useState<string | null>(given ?? (address ? (zoneCache.get(address) ?? null) : null));
  useEffect(() => {
    if (given || !address) return setZone(given);
    if (zoneCache.has(address)) return setZone(zoneCache.get(address) ?? null);
    let live = true;
    api.contact(address).then(
      (c) => {
        zoneCache.set(address, c.timeZone);
        if (live) setZone(c.timeZone);
      },
      () => {
        zoneCache.set(address, null);
        if (live) setZone(null);
      },
    );
    return () => {
      live = false;
    };
  }, [api, address, given]);
  return zone;
}

export function UnansweredView() {
  const { api, accounts, attempt, toast } = useShared();
  const [account, setAccount] = useState('');
  const { data, error } = useApiData(() => api.unanswered(), ['unanswered']);
  const items = useMemo(() => (data ?? []).filter((e) => !account || e.account === account), [data, account]);
  const sel = useSelection(items, (e) => e.id);
  const [open, setOpen] = useState(false);
  const [queued, setQueued] = useState<Record<string, QueueEntry>>({});
  const zone = useRecipientZone(sel.selected);

  const resend = async () => {
    const e = sel.selected;
    if (!e) return;
    const r = await attempt(() => api.resend(e.id));
    const q = r?.[0];
    if (!q) return;
    setQueued((m) => ({ ...m, [e.id]: q }));
    toast({ level: 'info', message: `Follow-up to ${q.to.join(', ')} scheduled for ${formatAt(q.scheduledAt, q.recipientTimeZone)} their time (${zoneLabel(q.recipientTimeZone)}), ${formatAt(q.scheduledAt)} yours.` });
  };
  const dismiss = async () => {
    const e = sel.selected;
    if (!e) return;
    const ok = await attempt(async () => {
      await api.dismiss(e.id);
      return true;
    });
    if (ok) toast({ level: 'info', message: `"${e.subject}" dismissed: no reply expected.` });
  };

  useViewShortcuts([
    { key: 'j', label: 'Next', run: () => sel.move(1) },
    { key: 'k', label: 'Previous', run: () => sel.move(-1) },
    { key: 'r', label: 'Resend (queue a follow-up)', run: resend, footer: true },
    { key: 'd', label: 'Dismiss: no reply expected', run: dismiss, footer: true },
    { key: 'o', label: 'Open the conversation', run: () => setOpen((o) => !o), footer: true },
  ]);

  const e = sel.selected;
  const q = e ? queued[e.id] : undefined;
  return (
    <div className="split">
      <div className="list-pane">
        <div className="list-tools">
          <span data-testid="unanswered-count">{items.length.toLocaleString()} awaiting a reply</span>
          <span className="grow" />
          {accounts && accounts.length > 1 && (
            <select aria-label="Account" value={account} onChange={(ev) => setAccount(ev.target.value)}>
              <option value="">All accounts</option>
              {accounts.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
        </div>
        <ListError error={error} />
        {data && !items.length ? (
          <EmptyList title="Nothing awaits a reply.">Everything you sent has an answer, or is younger than the minimum age in Settings.</EmptyList>
        ) : (
          <VirtualList
            items={items}
            rowHeight={58}
            selected={sel.index}
            onSelect={sel.select}
            onOpen={(i) => {
              sel.select(i);
              setOpen(true);
            }}
            label="Unanswered mail"
            testId="unanswered-list"
            renderRow={(it) => (
              <>
                <div className="line1">
                  <span className="subject">{it.subject || '(no subject)'}</span>
                  {it.status === 'bounced' && <span className="badge bounced">bounced</span>}
                  {it.outOfOfficeUntil && <span className="badge ooo">away until {formatAt(it.outOfOfficeUntil).replace(/,.*$/, '')}</span>}
                  <span className="meta">{ageLabel(it.ageHours)}</span>
                </div>
                <div className="line2">
                  <span className="who">to {it.to.join(', ')}</span>
                  <span className="meta">{it.account}</span>
                </div>
              </>
            )}
          />
        )}
      </div>
      <aside className="detail" aria-label="Details">
        {!e ? (
          <p className="hint">Select a mail to see its details.</p>
        ) : (
          <>
            <h2>{e.subject || '(no subject)'}</h2>
            {e.status === 'bounced' && (
              <div className="warning-box">
                It bounced{Array.isArray(e.bouncedRecipients) ? `: ${(e.bouncedRecipients as string[]).join(', ')} could not be reached` : ''}. Check the address before resending.
              </div>
            )}
            <dl>
              <dt>To</dt>
              <dd>{e.to.join(', ')}</dd>
              <dt>Sent</dt>
              <dd>
                {formatAt(e.sentAt)} <span className="zone">your time</span>
              </dd>
              <dt>Waiting</dt>
              <dd>{ageLabel(e.ageHours)}</dd>
              {e.outOfOfficeUntil && (
                <>
                  <dt>Away</dt>
                  <dd>until {formatAt(e.outOfOfficeUntil, zone ?? undefined)} (auto-reply)</dd>
                </>
              )}
              <dt>Their time</dt>
              <dd data-testid="recipient-time">{zone ? `${clockIn(zone)} now in ${zoneLabel(zone)}` : 'unknown'}</dd>
              <dt>Account</dt>
              <dd>{e.account}</dd>
            </dl>
            <div className="actions">
              <button className="btn primary" onClick={resend} data-testid="resend">
                Resend <Kbd k="r" />
              </button>
              <button className="btn" onClick={dismiss} data-testid="dismiss">
                Dismiss <Kbd k="d" />
              </button>
              <button className="btn" onClick={() => setOpen((o) => !o)} data-testid="open">
                {open ? 'Hide' : 'Open'} conversation <Kbd k="o" />
              </button>
            </div>
            {q && (
              <div className="note-box" data-testid="resend-result" data-scheduled={q.scheduledAt} data-zone={q.recipientTimeZone}>
                Follow-up scheduled for <b data-testid="resend-their-time">{formatAt(q.scheduledAt, q.recipientTimeZone)}</b> in {zoneLabel(q.recipientTimeZone)} (their time),{' '}
                <b>{formatAt(q.scheduledAt)}</b> {zoneLabel(userZone())} (yours). See Follow-ups to change or cancel it.
              </div>
            )}
            {open && <Conversation id={e.id} />}
          </>
        )}
      </aside>
    </div>
  );
}
