// The follow-up queue: when each one goes, in the recipient's time and the user's; the text
// (editable; an edit is held for the undo window again); Send now (asks first, and says when it
// is outside their business hours), Reschedule, Cancel with Undo (one step of a plan, or the rest
// of the plan); and the history of sent and cancelled ones, with when each went.
import { EmptyList, ListError, isEntry, sectionedRowHeight } from '../components/ListStates';
import { useEffect, useMemo, useRef, useState } from 'react';
import { FOLLOW_UP_LANGUAGES, type OutgoingMail, type QueueEntry, type SendNowCheck } from '../../../main/core/api';
import { ContactPictures } from '../components/ContactPictures';
import { NudgeMeter } from '../components/NudgeMeter';
import { useApiData, useNow, useShared, useViewKeys } from '../context';
import { VirtualList } from '../components/VirtualList';
import { Kbd } from '../components/Kbd';
import { Dialog } from '../components/Dialog';
import { countdown, formatAt, hourIn, isoToLocalInput, localInputToIso, userZone, zoneLabel } from '../time';
import { named } from './ResendDialogs';
import { useSectionedSelection, type Sectioned } from './useSelection';

type Item = Sectioned<{ title: string; key: string }, QueueEntry>;
/** Still to go (the rest is history). */
const ACTIVE = new Set(['scheduled', 'held', 'sending', 'failed']);
const CANCELLABLE = new Set(['scheduled', 'held', 'failed']);

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
/** The exact state: the contract's status says 'scheduled' for 'held' (late, waiting for the
 *  user's yes) and 'sending'. */
const stateOf = (q: QueueEntry): string => q.state ?? q.status;
const isHeld = (q: QueueEntry | null): boolean => !!q && stateOf(q) === 'held';

/** "9:41" left of the undo window of a follow-up not gone yet, or null. */
function heldLeft(q: QueueEntry, now: number): string | null {
  return q.holdUntil && CANCELLABLE.has(stateOf(q)) ? countdown(Date.parse(q.holdUntil), now) : null;
}

/** "Send it now?", with their clock: inside their hours, or not ("02:10 in Sydney, before…"). */
function SendNowDialog({ entry, check, onClose, onSend }: { entry: QueueEntry; check: SendNowCheck; onClose(): void; onSend(): void }) {
  const where = zoneLabel(check.timeZone);
  const theirClock = hourIn(check.theirTime, check.timeZone);
  return (
    <Dialog title="Send this follow-up now?" onClose={onClose} testId="confirm-send-now">
      <p data-testid="send-now-text">
        It goes to {(entry.toNamed?.length ? entry.toNamed.map(named) : entry.to).join(', ')} at once, instead of {formatAt(entry.scheduledAt, entry.recipientTimeZone)} their time.
      </p>
      {check.insideWindow ? (
        <p>
          It is {theirClock} in {where}: inside their business hours ({check.hours}).
        </p>
      ) : (
        <p className="warning-box" data-testid="send-now-outside">
          It is {theirClock} in {where}: {check.closedBecause} ({check.hours}). Their next business hour is {formatAt(check.nextWindowAt, check.timeZone)} their time.
        </p>
      )}
      <div className="actions">
        <button className="btn primary" onClick={onClose} data-autofocus={check.insideWindow ? undefined : true} data-testid="send-now-keep">
          Keep it scheduled
        </button>
        <button className={`btn ${check.insideWindow ? 'primary' : 'danger'}`} onClick={onSend} data-autofocus={check.insideWindow ? true : undefined} data-testid="send-now-confirm">
          Send now
        </button>
      </div>
    </Dialog>
  );
}

/** The sample mailbox's "Send now": the exact mail it would be, headers and text; nothing is sent. */
function OutgoingMailDialog({ mail, onClose }: { mail: OutgoingMail; onClose(): void }) {
  return (
    <Dialog title="The mail that would be sent" onClose={onClose} testId="outgoing-mail" wide>
      <p className="note-box" data-testid="outgoing-nothing-sent">
        {mail.demo
          ? 'This is sample mail: nothing was sent, and nothing ever leaves this computer from it. With your own account, this exact mail goes to the recipient.'
          : 'Nothing was sent: this is the mail as it would go.'}
      </p>
      <table className="mail-headers" data-testid="outgoing-headers">
        <tbody>
          {mail.headers.map((h, i) => (
            <tr key={`${h.name}-${i}`}>
              <th scope="row">{h.name}</th>
              <td>{h.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <pre className="mail-text" data-testid="outgoing-text">
        {mail.text}
      </pre>
      <div className="actions">
        <button className="btn primary" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}

export function QueueView() {
  const { api, attempt, toast } = useShared();
  const { data, error } = useApiData(() => api.queue(), ['queue']);
  const items = useMemo<Item[]>(() => {
    const all = data ?? [];
    const active = all.filter((q) => ACTIVE.has(stateOf(q))).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
    const done = all.filter((q) => !ACTIVE.has(stateOf(q))).sort((a, b) => b.scheduledAt.localeCompare(a.scheduledAt));
    const out: Item[] = [{ kind: 'header', title: `Scheduled (${active.length})`, key: 'h-active' }, ...active.map((entry) => ({ kind: 'entry' as const, entry }))];
    if (done.length) out.push({ kind: 'header', title: `Sent and cancelled (${done.length})`, key: 'h-done' }, ...done.map((entry) => ({ kind: 'entry' as const, entry })));
    return out;
  }, [data]);
  const sel = useSectionedSelection(items);
  const q = sel.selected?.kind === 'entry' ? sel.selected.entry : null;
  // Not gone yet: it can be edited, rescheduled, sent now or cancelled (the service checks again).
  const active = !!q && CANCELLABLE.has(stateOf(q));
  const cancellable = active;
  const planSize = typeof q?.planSize === 'number' ? q.planSize : null;
  const inPlan = !!q && typeof q.planId === 'string' && !!planSize;
  const [text, setText] = useState('');
  const [when, setWhen] = useState('');
  const [confirmSend, setConfirmSend] = useState<{ entry: QueueEntry; check: SendNowCheck } | null>(null);
  const [shownMail, setShownMail] = useState<OutgoingMail | null>(null);
  const [lastCancelled, setLastCancelled] = useState<string[]>([]);
  const now = useNow();
  const textBox = useRef<HTMLTextAreaElement>(null);
  const whenBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setText(str(q?.text) ?? '');
    setWhen(q ? isoToLocalInput(q.scheduledAt) : '');
  }, [q?.id, q?.text, q?.scheduledAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const saveText = async () => {
    if (!q || !active) return;
    const r = await attempt(() => api.updateFollowUp(q.id, { text, hold: true }));
    if (r) {
      sel.setSelectedId(r.id);
      toast({ level: 'info', message: `Text saved. It goes ${formatAt(r.scheduledAt, r.recipientTimeZone)} their time at the earliest.` });
    }
  };
  const reschedule = async () => {
    if (!q || !active) return;
    const iso = localInputToIso(when);
    if (!iso) return toast({ level: 'error', message: 'Pick a date and time first.' });
    const r = await attempt(() => api.updateFollowUp(q.id, { scheduledAt: iso, hold: true }));
    if (r) {
      sel.setSelectedId(r.id);
      toast({ level: 'info', message: `Rescheduled: ${formatAt(r.scheduledAt, r.recipientTimeZone)} their time (${str(r.scheduledReason) ?? 'the first business hour after the time you picked'}).` });
    }
  };
  /** Send now asks first, and says when it is not their business hours ("02:10 in Sydney"). */
  const askSendNow = async () => {
    if (!q) return;
    if (!active) return toast({ level: 'info', message: `This follow-up is ${stateOf(q)}: there is nothing to send.` });
    // Sample mail is never sent: "Send now" shows the exact mail instead (issue 12 item 4).
    if (q.demo) {
      const mail = await attempt(() => api.outgoingMail(q.id));
      if (mail) setShownMail(mail);
      return;
    }
    const check = await attempt(() => api.sendNowCheck(q.id));
    if (check) setConfirmSend({ entry: q, check });
  };
  const sendNow = async (entry: QueueEntry) => {
    setConfirmSend(null);
    const r = await attempt(() => api.sendNow(entry.id));
    if (!r) return;
    const action = str(r.action) ?? r.status;
    const why = str(r.actionText);
    if (action === 'sent') toast({ level: 'info', message: `Follow-up sent to ${r.to.join(', ')}.` });
    else toast({ level: 'warn', message: `Not sent (${action})${why ? `: ${why}` : ''}.` });
  };
  const restore = async (ids: string[]) => {
    let back = 0;
    for (const id of ids) if (await attempt(() => api.restoreFollowUp(id, { hold: true }))) back++;
    if (back) {
      setLastCancelled([]);
      toast({ level: 'info', message: back === 1 ? 'Follow-up put back: it goes at its time again.' : `${back} follow-ups put back.` });
    }
  };
  const cancelPlan = async () => {
    if (!q) return;
    if (!inPlan) return toast({ level: 'info', message: 'This follow-up is not part of a plan: Cancel cancels it alone.' });
    const r = await attempt(() => api.cancel(q.id, { plan: true }));
    if (r) {
      const ids = Array.isArray(r.cancelledSteps) ? r.cancelledSteps : [];
      const n = ids.length;
      setLastCancelled(ids);
      toast({
        level: 'info',
        message: n ? `${n} step${n === 1 ? '' : 's'} of the plan cancelled.` : 'Nothing left to cancel in this plan.',
        ...(n ? { action: { label: 'Undo', run: () => void restore(ids) } } : {}),
      });
    }
  };
  const confirmLate = async () => {
    if (!q) return;
    if (!isHeld(q)) return toast({ level: 'info', message: 'Only a follow-up held for being late waits for your yes; this one is not.' });
    const r = await attempt(() => api.sendDue({ confirm: [q.id] }));
    if (r) toast({ level: 'info', message: r.find((x) => x.id === q.id) ? `Follow-up to ${q.to.join(', ')}: ${String(r.find((x) => x.id === q.id)!.actionText ?? 'confirmed')}` : 'Confirmed: it goes in the next business hour.' });
  };
  const cancel = async () => {
    if (!q) return;
    if (!cancellable) return toast({ level: 'info', message: `This follow-up is ${stateOf(q)}: it cannot be cancelled.` });
    const r = await attempt(() => api.cancel(q.id));
    if (!r) return;
    setLastCancelled([r.id]);
    toast({ level: 'info', message: `Follow-up to ${r.to.join(', ')} cancelled.`, action: { label: 'Undo', run: () => void restore([r.id]) } });
  };
  const undo = () => (lastCancelled.length ? void restore(lastCancelled) : toast({ level: 'info', message: 'Nothing to undo here.' }));

  useViewKeys('queue', {
    j: () => sel.move(1),
    k: () => sel.move(-1),
    s: () => void askSendNow(),
    e: () => textBox.current?.focus(),
    l: () => whenBox.current?.focus(),
    c: () => void cancel(),
    z: undo,
    p: () => void cancelPlan(),
    y: () => void confirmLate(),
  });

  return (
    <div className="split">
      <div className="list-pane">
        <ListError error={error} />
        {data && !data.length ? (
          <EmptyList title="No follow-ups yet.">Press Resend on a mail in Unanswered: it is queued for the recipient's next business hour.</EmptyList>
        ) : (
          <VirtualList
            items={items}
            rowHeight={sectionedRowHeight}
            isOption={isEntry}
            selected={sel.index}
            onSelect={sel.select}
            label="Follow-ups"
            testId="queue-list"
            rowClassName={(it) => (it.kind === 'header' ? 'section-row' : 'row')}
            renderRow={(it) =>
              it.kind === 'header' ? (
                <span>{it.title}</span>
              ) : (
                <>
                  <div className="line1">
                    <span className="subject">{str(it.entry.subject) ?? it.entry.originalMessageId}</span>
                    <span className={`badge ${stateOf(it.entry)}`} data-testid="queue-status">
                      {stateOf(it.entry)}
                    </span>
                  </div>
                  <div className="line2">
                    <span className="who">to {it.entry.to.join(', ')}</span>
                    {/* A sent one says when it went; the rest when they go (their time). */}
                    <span className="meta" data-testid="queue-when">
                      {stateOf(it.entry) === 'sent' && it.entry.sentAt
                        ? `sent ${formatAt(it.entry.sentAt)}`
                        : `${formatAt(it.entry.scheduledAt, it.entry.recipientTimeZone)} ${zoneLabel(it.entry.recipientTimeZone)}`}
                    </span>
                  </div>
                </>
              )
            }
          />
        )}
      </div>
      <aside className="detail" aria-label="Details">
        {!q ? (
          <p className="hint">Select a follow-up.</p>
        ) : (
          <>
            <h2>{str(q.subject) ?? 'Follow-up'}</h2>
            {heldLeft(q, now) && (
              <div className="note-box" data-testid="queue-hold">
                It leaves no sooner than in <span data-testid="undo-countdown">{heldLeft(q, now)}</span>: you can still cancel it.
              </div>
            )}
            {q.demo && (
              <div className="note-box" data-testid="queue-demo">
                Sample mail: this follow-up is real in every way but one: it never leaves this computer. Send now shows the exact mail instead.
              </div>
            )}
            <dl>
              <dt>To</dt>
              <dd>{(q.toNamed?.length ? q.toNamed.map(named) : q.to).join(', ')}</dd>
              {stateOf(q) === 'sent' && q.sentAt && (
                <>
                  <dt>Sent</dt>
                  <dd data-testid="queue-sent-at">
                    {formatAt(q.sentAt)} your time, {formatAt(q.sentAt, q.recipientTimeZone)} theirs
                  </dd>
                </>
              )}
              <dt>Status</dt>
              <dd>
                <span className={`badge ${stateOf(q)}`}>{stateOf(q)}</span> {(stateOf(q) === 'scheduled' ? str(q.scheduledReason) : str(q.statusReason)) ?? ''}
              </dd>
              <dt>Their time</dt>
              <dd data-testid="queue-their-time" data-zone={q.recipientTimeZone}>
                {formatAt(q.scheduledAt, q.recipientTimeZone)} <span className="zone">{q.recipientTimeZone}</span>
              </dd>
              <dt>Your time</dt>
              <dd>
                {formatAt(q.scheduledAt)} <span className="zone">{userZone()}</span>
              </dd>
              <dt>Account</dt>
              <dd>{q.account}</dd>
              {q.language && (
                <>
                  <dt>Language</dt>
                  <dd data-testid="queue-language">{FOLLOW_UP_LANGUAGES.find((l) => l.code === q.language)?.name ?? q.language}</dd>
                </>
              )}
              {inPlan && (
                <>
                  <dt>Plan</dt>
                  <dd data-testid="queue-plan-step">
                    step {String(q.step)} of {planSize}
                  </dd>
                </>
              )}
            </dl>
            <div className="actions">
              <button className="btn primary" onClick={() => void askSendNow()} disabled={!active} aria-keyshortcuts="s" data-testid="send-now">
                Send now <Kbd k="s" />
              </button>
              {isHeld(q) && (
                <button className="btn primary" onClick={() => void confirmLate()} aria-keyshortcuts="y" data-testid="confirm-late">
                  Send it anyway <Kbd k="y" />
                </button>
              )}
              <button className="btn danger" onClick={() => void cancel()} disabled={!cancellable} aria-keyshortcuts="c" data-testid="cancel">
                Cancel <Kbd k="c" />
              </button>
              {inPlan && (
                <button className="btn danger" onClick={() => void cancelPlan()} aria-keyshortcuts="p" data-testid="cancel-plan">
                  Cancel the rest of the plan <Kbd k="p" />
                </button>
              )}
            </div>
            {active && (
              <>
              <label className="hint" htmlFor="fu-when">
                Reschedule: not before (your time) <Kbd k="l" />
              </label>
              <div className="inline wrap" style={{ margin: '4px 0 12px' }}>
                <input id="fu-when" ref={whenBox} type="datetime-local" value={when} disabled={!active} onChange={(e) => setWhen(e.target.value)} />
                <button className="btn" onClick={reschedule} disabled={!active} data-testid="reschedule">
                  Reschedule
                </button>
              </div>
              </>
            )}
            <label className="hint" htmlFor="fu-text">
              Text <Kbd k="e" />
            </label>
            <textarea
              id="fu-text"
              ref={textBox}
              value={text}
              readOnly={!active}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void saveText();
              }}
              data-testid="followup-text"
            />
            {active && <NudgeMeter text={text} />}
            {active && (
              <div className="actions">
                <button className="btn" onClick={saveText} disabled={text === (str(q.text) ?? '')} aria-keyshortcuts="Control+Enter" data-testid="save-text">
                  Save text <Kbd k="Ctrl+Enter" />
                </button>
              </div>
            )}
            {active && q.recipient && <ContactPictures address={q.recipient} followUpId={q.id} refresh={q.scheduledAt} />}
          </>
        )}
      </aside>
      {shownMail && <OutgoingMailDialog mail={shownMail} onClose={() => setShownMail(null)} />}
      {confirmSend && <SendNowDialog {...confirmSend} onClose={() => setConfirmSend(null)} onSend={() => void sendNow(confirmSend.entry)} />}
    </div>
  );
}
