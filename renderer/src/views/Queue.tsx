// The follow-up queue: when each one goes, in the recipient's time and the user's; the text
// (editable); Send now, Reschedule, Cancel (one step of a plan, or the rest of the plan); and the
// history of sent and cancelled ones.
import { EmptyList, ListError, sectionedRowHeight } from '../components/ListStates';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { QueueEntry } from '../../../main/core/api';
import { useApiData, useShared, useViewShortcuts } from '../context';
import { VirtualList } from '../components/VirtualList';
import { Kbd } from '../components/Kbd';
import { formatAt, isoToLocalInput, localInputToIso, userZone, zoneLabel } from '../time';
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
  const textBox = useRef<HTMLTextAreaElement>(null);
  const whenBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setText(str(q?.text) ?? '');
    setWhen(q ? isoToLocalInput(q.scheduledAt) : '');
  }, [q?.id, q?.text, q?.scheduledAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const saveText = async () => {
    if (!q || !active) return;
    const r = await attempt(() => api.updateFollowUp(q.id, { text }));
    if (r) {
      sel.setSelectedId(r.id);
      toast({ level: 'info', message: 'Text saved.' });
    }
  };
  const reschedule = async () => {
    if (!q || !active) return;
    const iso = localInputToIso(when);
    if (!iso) return toast({ level: 'error', message: 'Pick a date and time first.' });
    const r = await attempt(() => api.updateFollowUp(q.id, { scheduledAt: iso }));
    if (r) {
      sel.setSelectedId(r.id);
      toast({ level: 'info', message: `Rescheduled: ${formatAt(r.scheduledAt, r.recipientTimeZone)} their time (${str(r.scheduledReason) ?? 'the first business hour after the time you picked'}).` });
    }
  };
  const sendNow = async () => {
    if (!q || !active) return;
    const r = await attempt(() => api.sendNow(q.id));
    if (!r) return;
    const action = str(r.action) ?? r.status;
    const why = str(r.actionText);
    if (action === 'sent') toast({ level: 'info', message: `Follow-up sent to ${r.to.join(', ')}.` });
    else toast({ level: 'warn', message: `Not sent (${action})${why ? `: ${why}` : ''}.` });
  };
  const cancelPlan = async () => {
    if (!q || !inPlan) return;
    const r = await attempt(() => api.cancel(q.id, { plan: true }));
    if (r) {
      const n = Array.isArray(r.cancelledSteps) ? r.cancelledSteps.length : 0;
      toast({ level: 'info', message: n ? `${n} step${n === 1 ? '' : 's'} of the plan cancelled.` : 'Nothing left to cancel in this plan.' });
    }
  };
  const confirmLate = async () => {
    if (!q || !isHeld(q)) return;
    const r = await attempt(() => api.sendDue({ confirm: [q.id] }));
    if (r) toast({ level: 'info', message: r.find((x) => x.id === q.id) ? `Follow-up to ${q.to.join(', ')}: ${String(r.find((x) => x.id === q.id)!.actionText ?? 'confirmed')}` : 'Confirmed: it goes in the next business hour.' });
  };
  const cancel = async () => {
    if (!q || !cancellable) return;
    const r = await attempt(() => api.cancel(q.id));
    if (r) toast({ level: 'info', message: `Follow-up to ${r.to.join(', ')} cancelled.` });
  };

  useViewShortcuts([
    { key: 'j', label: 'Next', run: () => sel.move(1) },
    { key: 'k', label: 'Previous', run: () => sel.move(-1) },
    { key: 's', label: 'Send now', run: sendNow, footer: true },
    { key: 'e', label: 'Edit the text (Ctrl+Enter saves)', run: () => textBox.current?.focus(), footer: true },
    { key: 'l', label: 'Reschedule (pick a later time)', run: () => whenBox.current?.focus(), footer: true },
    { key: 'c', label: 'Cancel the follow-up', run: cancel, footer: true },
    { key: 'p', label: 'Cancel the rest of its plan', run: cancelPlan },
    { key: 'y', label: 'Send a held (late) follow-up anyway', run: confirmLate },
  ]);

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
                    <span className="meta">
                      {formatAt(it.entry.scheduledAt, it.entry.recipientTimeZone)} {zoneLabel(it.entry.recipientTimeZone)}
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
            <dl>
              <dt>To</dt>
              <dd>{q.to.join(', ')}</dd>
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
              <button className="btn primary" onClick={sendNow} disabled={!active} data-testid="send-now">
                Send now <Kbd k="s" />
              </button>
              {isHeld(q) && (
                <button className="btn primary" onClick={confirmLate} data-testid="confirm-late">
                  Send it anyway <Kbd k="y" />
                </button>
              )}
              <button className="btn danger" onClick={cancel} disabled={!cancellable} data-testid="cancel">
                Cancel <Kbd k="c" />
              </button>
              {inPlan && (
                <button className="btn danger" onClick={cancelPlan} data-testid="cancel-plan">
                  Cancel the rest of the plan <Kbd k="p" />
                </button>
              )}
            </div>
            {active && (
              <>
              <label className="hint" htmlFor="fu-when">
                Reschedule: not before (your time) <Kbd k="l" />
              </label>
              <div className="inline" style={{ margin: '4px 0 12px' }}>
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
            {active && (
              <div className="actions">
                <button className="btn" onClick={saveText} disabled={text === (str(q.text) ?? '')}>
                  Save text <Kbd k="Ctrl+Enter" />
                </button>
              </div>
            )}
          </>
        )}
      </aside>
    </div>
  );
}
