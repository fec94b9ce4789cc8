// Sent mail awaiting a reply, newest first, bounced mail in its own group ("check the address"):
// age, recipients, out-of-office and follow-up marks, the recipient's local time. Resend opens a
// preview of the exact follow-up (Queue is the default), held for the undo window; Dismiss has
// Undo, and the Dismissed filter finds and restores what was dismissed.
import { EmptyList, ListError, sectionedRowHeight } from '../components/ListStates';
import { useEffect, useMemo, useState } from 'react';
import type { FollowUpLanguage, FollowUpMark, FollowUpPreview, UnansweredEntry, UnansweredHead } from '../../../main/core/api';
import { ContactPictures } from '../components/ContactPictures';
import { useApiData, useApiHead, useNow, useShared, useViewKeys } from '../context';
import { VirtualList } from '../components/VirtualList';
import { Conversation } from '../components/Conversation';
import { Kbd } from '../components/Kbd';
import { ageLabel, clockIn, formatAt, returnDay, userZone, zoneLabel } from '../time';
import { useSelection, type Sectioned } from './useSelection';
import { FollowUpNote, PreviewDialog, SecondResendDialog, markLabel } from './ResendDialogs';

/** A row of the whole list not come yet (the n-th of its group): "Loading…", selectable, and
 *  the same row once the list has come. */
type Pending = { kind: 'pending'; group: Group; n: number };
type Group = 'bounced' | 'awaiting';
type Item = Sectioned<{ title: string; key: string }, UnansweredEntry> | Pending;

/** The first rows asked for at start (App.tsx prefetches them under the same key). */
export const UNANSWERED_HEAD = { limit: 100 };
export const UNANSWERED_HEAD_KEY = ['head', UNANSWERED_HEAD.limit];

const PENDING_ID = /^pending:(bounced|awaiting):(\d{1,9})$/;
const itemId = (it: Item): string | null => (it.kind === 'entry' ? it.entry.id : it.kind === 'pending' ? `pending:${it.group}:${it.n}` : null);
const isRow = (it: Item): boolean => it.kind !== 'header';

/** A group's rows: its entries, then (while only the first rows have come) one pending row for each one to come. */
function groupRows(group: Group, entries: UnansweredEntry[], total: number): Item[] {
  const rows: Item[] = entries.map((entry) => ({ kind: 'entry' as const, entry }));
  for (let n = entries.length; n < total; n++) rows.push({ kind: 'pending', group, n });
  return rows;
}

/** The groups as the list shows them: bounced first (a bounce never reached them), apart from what awaits a reply. */
function groupItems(bounced: UnansweredEntry[], awaiting: UnansweredEntry[], bouncedTotal = bounced.length, awaitingTotal = awaiting.length): Item[] {
  const out: Item[] = [];
  if (bouncedTotal) out.push({ kind: 'header', title: `Bounced: check the address (${bouncedTotal})`, key: 'h-bounced' }, ...groupRows('bounced', bounced, bouncedTotal));
  if (awaitingTotal) out.push({ kind: 'header', title: `Awaiting a reply (${awaitingTotal})`, key: 'h-awaiting' }, ...groupRows('awaiting', awaiting, awaitingTotal));
  return out;
}

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

/** Still to go: the conversation has a follow-up waiting (or in flight). */
const pending = (m: FollowUpMark | null | undefined): m is FollowUpMark => !!m && m.state !== 'sent' && m.state !== 'cancelled';
const bouncedAddress = (e: UnansweredEntry): string => e.bouncedRecipients?.[0] ?? e.to[0] ?? '';

type Undoable = { kind: 'dismissed'; entry: UnansweredEntry } | { kind: 'queued'; id: string; subject: string };

export function UnansweredView() {
  const { api, accounts, attempt, toast } = useShared();
  const [account, setAccount] = useState('');
  const [showDismissed, setShowDismissed] = useState(false);
  const { data, error } = useApiData(() => api.unanswered(showDismissed ? { dismissed: true } : undefined), ['unanswered', 'queue'], [showDismissed]);
  // Until the whole list has come, its first rows and counts (all accounts: a chosen account
  // waits for the whole list).
  const head: UnansweredHead | null = useApiHead(data === null && !showDismissed, () => api.unansweredHead(UNANSWERED_HEAD), ['unanswered', 'queue'], UNANSWERED_HEAD_KEY);
  const partial = data === null && head !== null && !account && !error ? head : null;
  const mine = useMemo(() => (data ?? []).filter((e) => !account || e.account === account), [data, account]);
  const bounced = useMemo(() => mine.filter((e) => e.status === 'bounced'), [mine]);
  const awaiting = useMemo(() => mine.filter((e) => e.status !== 'bounced'), [mine]);
  const items = useMemo<Item[]>(() => {
    if (showDismissed) return mine.length ? [{ kind: 'header', title: `Dismissed (${mine.length})`, key: 'h-dismissed' }, ...groupRows('awaiting', mine, mine.length)] : [];
    if (partial) return groupItems(partial.bounced, partial.awaiting, partial.bouncedTotal, partial.awaitingTotal);
    return groupItems(bounced, awaiting);
  }, [mine, bounced, awaiting, partial, showDismissed]);
  // A pending row chosen with the keyboard is the same row once the whole list has come.
  const carry = (id: string) => {
    const m = PENDING_ID.exec(id);
    return m && data ? ((m[1] === 'bounced' ? bounced : awaiting)[Number(m[2])]?.id ?? null) : null;
  };
  const sel = useSelection(items, itemId, isRow, carry);
  const e = sel.selected?.kind === 'entry' ? sel.selected.entry : null;
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState<UnansweredEntry | null>(null);
  const [preview, setPreview] = useState<{ entry: UnansweredEntry; preview: FollowUpPreview; force: boolean } | null>(null);
  const [lastUndoable, setLastUndoable] = useState<Undoable | null>(null);
  const zone = useRecipientZone(e);

  const openPreview = async (entry: UnansweredEntry, force: boolean, lang?: FollowUpLanguage) => {
    setAsking(null);
    const p = await attempt(() => api.previewFollowUp(entry.id, { hold: true, ...(force ? { force: true } : {}), ...(lang ? { lang } : {}) }));
    if (p) setPreview({ entry, preview: p, force });
  };
  const resend = () => {
    if (!e || showDismissed) return;
    if (e.status === 'bounced') return toast({ level: 'warn', message: `It bounced: ${bouncedAddress(e)} could not be reached. Check the address first (Copy address).` });
    // A follow-up waits, or went already: say so and ask before writing another.
    if (e.followUp && e.followUp.state !== 'cancelled') return setAsking(e);
    void openPreview(e, false);
  };
  const undoQueued = async (id: string, subject: string) => {
    const r = await attempt(() => api.cancel(id));
    if (r) {
      setLastUndoable(null);
      toast({ level: 'info', message: `Follow-up of "${subject}" taken back: nothing was sent.` });
    }
  };
  const queue = async (text: string, lang: FollowUpLanguage) => {
    if (!preview) return;
    const { entry, force } = preview;
    const changed = text !== preview.preview.text;
    const r = await attempt(() => api.resend(entry.id, { hold: true, lang, ...(force ? { force: true } : {}), ...(changed ? { text } : {}) }));
    const q = r?.[0];
    if (!q) return;
    setPreview(null);
    setLastUndoable({ kind: 'queued', id: q.id, subject: entry.subject });
    toast({
      level: 'info',
      message: `Follow-up queued: it goes ${formatAt(q.scheduledAt, q.recipientTimeZone)} their time (${zoneLabel(q.recipientTimeZone)}), ${formatAt(q.scheduledAt)} yours.${q.demo ? ' Sample mail: it never leaves this computer.' : ''}`,
      action: { label: 'Undo', run: () => void undoQueued(q.id, entry.subject) },
    });
  };
  const restore = async (entry: UnansweredEntry) => {
    const ok = await attempt(async () => {
      await api.undismiss(entry.id);
      return true;
    });
    if (ok) {
      setLastUndoable(null);
      toast({ level: 'info', message: `"${entry.subject}" is back in the list.` });
    }
  };
  const dismiss = async () => {
    if (!e) return;
    if (showDismissed) return void restore(e);
    const entry = e;
    const ok = await attempt(async () => {
      await api.dismiss(entry.id);
      return true;
    });
    if (!ok) return;
    setLastUndoable({ kind: 'dismissed', entry });
    toast({ level: 'info', message: `"${entry.subject}" dismissed: no reply expected. Find it again under Dismissed.`, action: { label: 'Undo', run: () => void restore(entry) } });
  };
  const undo = () => {
    const u = lastUndoable;
    if (!u) return toast({ level: 'info', message: 'Nothing to undo here.' });
    if (u.kind === 'dismissed') void restore(u.entry);
    else void undoQueued(u.id, u.subject);
  };
  const copyAddress = async () => {
    if (!e) return;
    const address = bouncedAddress(e);
    try {
      await navigator.clipboard.writeText(address);
      toast({ level: 'info', message: `Copied ${address}: check it for a typo, or find their current address.` });
    } catch {
      toast({ level: 'warn', message: `The address is ${address}: the clipboard is not available here.` });
    }
  };

  useViewKeys('unanswered', {
    j: () => sel.move(1),
    k: () => sel.move(-1),
    r: resend,
    d: () => void dismiss(),
    z: undo,
    c: () => void copyAddress(),
    f: () => setShowDismissed((s) => !s),
    o: () => setOpen((o) => !o),
  });

  // Until the list has come, say so: "0 awaiting a reply" would be a false empty state (issue 13).
  const countText = partial
    ? `${partial.awaitingTotal.toLocaleString()} awaiting a reply${partial.bouncedTotal ? `, ${partial.bouncedTotal.toLocaleString()} bounced` : ''}`
    : data === null
    ? 'Loading…'
    : showDismissed
    ? `${mine.length.toLocaleString()} dismissed`
    : `${awaiting.length.toLocaleString()} awaiting a reply${bounced.length ? `, ${bounced.length.toLocaleString()} bounced` : ''}`;
  return (
    <div className="split">
      {/* Busy while only the first rows have come. */}
      <div className="list-pane" aria-busy={partial ? true : undefined} data-testid="unanswered-pane">
        <div className="list-tools">
          <span data-testid="unanswered-count">{countText}</span>
          <span className="grow" />
          <div className="segmented" role="group" aria-label="Show">
            <button className={!showDismissed ? 'on' : ''} aria-pressed={!showDismissed} onClick={() => setShowDismissed(false)} data-testid="filter-awaiting">
              Awaiting
            </button>
            <button className={showDismissed ? 'on' : ''} aria-pressed={showDismissed} aria-keyshortcuts="f" onClick={() => setShowDismissed(true)} data-testid="filter-dismissed">
              Dismissed
            </button>
          </div>
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
        {(data || partial) && !items.length ? (
          showDismissed ? (
            <EmptyList title="Nothing dismissed.">Mail you dismiss (no reply expected) is kept here, to restore it.</EmptyList>
          ) : (
            <EmptyList title="Nothing awaits a reply.">Everything you sent has an answer, or is younger than the minimum age in Settings.</EmptyList>
          )
        ) : (
          <VirtualList
            items={items}
            rowHeight={sectionedRowHeight}
            isOption={isRow}
            selected={sel.index}
            onSelect={sel.select}
            onOpen={(i) => {
              sel.select(i);
              setOpen(true);
            }}
            label={showDismissed ? 'Dismissed mail' : 'Unanswered mail'}
            testId="unanswered-list"
            rowClassName={(it) => (it.kind === 'header' ? `section-row${it.key === 'h-bounced' ? ' bounced' : ''}` : it.kind === 'pending' ? 'row pending' : it.entry.status === 'bounced' ? 'row bounced' : 'row')}
            renderRow={(it) =>
              it.kind === 'header' ? (
                <span data-testid={`section-${it.key.slice(2)}`}>{it.title}</span>
              ) : it.kind === 'pending' ? (
                <div className="line1" data-testid="pending-row">
                  <span className="subject hint">Loading…</span>
                </div>
              ) : (
                <>
                  <div className="line1">
                    <span className="subject">{it.entry.subject || '(no subject)'}</span>
                    <span className="meta age">{ageLabel(it.entry.ageHours)}</span>
                  </div>
                  {/* Marks on the second line: a narrow list keeps the subject readable. */}
                  <div className="line2">
                    {it.entry.status === 'bounced' && <span className="badge bounced">bounced</span>}
                    {it.entry.outOfOfficeUntil && <span className="badge ooo">away until {returnDay(it.entry.outOfOfficeUntil)}</span>}
                    {it.entry.followUp && (
                      <span className={`badge ${pending(it.entry.followUp) ? 'scheduled' : 'sent'}`} data-testid="followup-mark">
                        {markLabel(it.entry.followUp)}
                      </span>
                    )}
                    <span className="who">to {it.entry.to.join(', ')}</span>
                    <span className="meta">{it.entry.account}</span>
                  </div>
                </>
              )
            }
          />
        )}
      </div>
      <aside className="detail" aria-label="Details">
        {!e ? (
          <p className="hint">{sel.selected?.kind === 'pending' ? 'Loading…' : 'Select a mail to see its details.'}</p>
        ) : (
          <UnansweredDetail
            entry={e}
            zone={zone}
            open={open}
            dismissedView={showDismissed}
            onResend={resend}
            onDismiss={() => void dismiss()}
            onCopy={() => void copyAddress()}
            onToggleOpen={() => setOpen((o) => !o)}
            onUndoFollowUp={(id) => void undoQueued(id, e.subject)}
          />
        )}
      </aside>
      {asking && <SecondResendDialog entry={asking} onClose={() => setAsking(null)} onWriteAnother={() => void openPreview(asking, true)} />}
      {preview && (
        <PreviewDialog
          preview={preview.preview}
          demo={!!accounts?.find((a) => a.name === preview.entry.account)?.demo}
          onClose={() => setPreview(null)}
          onQueue={(text, lang) => void queue(text, lang)}
          onLanguage={(lang) => void openPreview(preview.entry, preview.force, lang)}
        />
      )}
    </div>
  );
}

function UnansweredDetail(props: {
  entry: UnansweredEntry;
  zone: string | null;
  open: boolean;
  dismissedView: boolean;
  onResend(): void;
  onDismiss(): void;
  onCopy(): void;
  onToggleOpen(): void;
  onUndoFollowUp(id: string): void;
}) {
  const { entry: e, zone, open, dismissedView } = props;
  const now = useNow();
  const isBounced = e.status === 'bounced';
  return (
    <>
      <h2>{e.subject || '(no subject)'}</h2>
      {isBounced && (
        <div className="warning-box" data-testid="bounced-note">
          It bounced: {(e.bouncedRecipients?.length ? e.bouncedRecipients : e.to).join(', ')} could not be reached. Check the address (a typo, someone who left), or reach them
          another way; a follow-up would bounce too.
        </div>
      )}
      {e.followUp && <FollowUpNote mark={e.followUp} now={now} onUndo={() => props.onUndoFollowUp(e.followUp!.id)} />}
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
            <dd data-testid="away-until">until {returnDay(e.outOfOfficeUntil)} (their auto-reply)</dd>
          </>
        )}
        {e.dismissedAt && (
          <>
            <dt>Dismissed</dt>
            <dd>{formatAt(e.dismissedAt)}</dd>
          </>
        )}
        <dt>Their time</dt>
        <dd data-testid="recipient-time">{zone ? `${clockIn(zone, new Date(now))} now in ${zoneLabel(zone)}` : 'unknown'}</dd>
        <dt>Account</dt>
        <dd>{e.account}</dd>
      </dl>
      <div className="actions">
        {isBounced ? (
          <button className="btn primary" onClick={props.onCopy} aria-keyshortcuts="c" data-testid="copy-address">
            Copy address <Kbd k="c" />
          </button>
        ) : (
          !dismissedView && (
            <button className="btn primary" onClick={props.onResend} aria-keyshortcuts="r" data-testid="resend">
              Resend <Kbd k="r" />
            </button>
          )
        )}
        <button className="btn" onClick={props.onDismiss} aria-keyshortcuts="d" data-testid={dismissedView ? 'restore' : 'dismiss'}>
          {dismissedView ? 'Restore' : 'Dismiss'} <Kbd k="d" />
        </button>
        <button className="btn" onClick={props.onToggleOpen} aria-keyshortcuts="o" data-testid="open">
          {open ? 'Hide' : 'Open'} conversation <Kbd k="o" />
        </button>
      </div>
      {open && <Conversation id={e.id} />}
      {!isBounced && (e.recipient ?? e.to[0]) && <ContactPictures address={(e.recipient ?? e.to[0])!} followUpId={e.followUp && e.followUp.state !== 'sent' && e.followUp.state !== 'cancelled' ? e.followUp.id : undefined} refresh={e.followUp?.scheduledAt} />}
      <p className="hint">
        Times in {zoneLabel(userZone())} unless marked “their time”.
      </p>
    </>
  );
}
