// What Resend shows before anything is queued (issue 15): the question when the conversation
// has a follow-up already, the preview of the exact mail (Queue is the default), and the note on
// a conversation's follow-up with its undo countdown.
import { useEffect, useState } from 'react';
import { FOLLOW_UP_LANGUAGES, type Address, type FollowUpLanguage, type FollowUpMark, type FollowUpPreview, type UnansweredEntry } from '../../../main/core/api';
import { Dialog } from '../components/Dialog';
import { NudgeMeter } from '../components/NudgeMeter';
import { countdown, formatAt, userZone, zoneLabel } from '../time';

/** "Bob Miller <bob@…>", or the bare address. */
export const named = (a: Address): string => (a.name && a.name.toLowerCase() !== a.address ? `${a.name} <${a.address}>` : a.address);

/** What a row says about its conversation's follow-up. */
export function markLabel(m: FollowUpMark): string {
  if (m.state === 'sent') return `followed up ${formatAt(m.sentAt ?? m.scheduledAt)}`;
  if (m.state === 'failed') return 'follow-up failed: see Follow-ups';
  if (m.state === 'held') return 'follow-up held: see Follow-ups';
  return `follow-up scheduled ${formatAt(m.scheduledAt)}`;
}

/** The follow-up of the selected conversation: when it goes (both clocks), and Undo while held. */
export function FollowUpNote({ mark, now, onUndo }: { mark: FollowUpMark; now: number; onUndo(): void }) {
  const left = mark.holdUntil && mark.state === 'scheduled' ? countdown(Date.parse(mark.holdUntil), now) : null;
  if (mark.state === 'sent') {
    return (
      <div className="note-box" data-testid="followup-note">
        Followed up <b>{formatAt(mark.sentAt ?? mark.scheduledAt)}</b> (your time), {formatAt(mark.sentAt ?? mark.scheduledAt, mark.recipientTimeZone)} their time. No reply since.
      </div>
    );
  }
  return (
    <div className="note-box" data-testid="resend-result" data-scheduled={mark.scheduledAt} data-zone={mark.recipientTimeZone}>
      Follow-up scheduled for <b data-testid="resend-their-time">{formatAt(mark.scheduledAt, mark.recipientTimeZone)}</b> in {zoneLabel(mark.recipientTimeZone)} (their
      time), <b>{formatAt(mark.scheduledAt)}</b> {zoneLabel(userZone())} (yours).
      {left ? (
        <span className="undo-line">
          <span data-testid="undo-countdown" role="timer" aria-live="off">
            You can take it back for {left}.
          </span>
          <button className="btn small" onClick={onUndo} data-testid="undo-followup">
            Undo
          </button>
        </span>
      ) : (
        <> Change or cancel it in Follow-ups.</>
      )}
    </div>
  );
}

/** A second Resend on a conversation with a follow-up waiting or sent: say so, and ask. */
export function SecondResendDialog({ entry, onClose, onWriteAnother }: { entry: UnansweredEntry; onClose(): void; onWriteAnother(): void }) {
  const m = entry.followUp!;
  const waiting = m.state !== 'sent';
  return (
    <Dialog title={waiting ? 'A follow-up is already scheduled' : 'You followed up already'} onClose={onClose} testId="second-resend">
      <p data-testid="second-resend-text">
        {waiting
          ? `A follow-up of “${entry.subject}” to ${entry.to.join(', ')} is already scheduled for ${formatAt(m.scheduledAt, m.recipientTimeZone)} their time (${formatAt(m.scheduledAt)} yours). A second one would reach them twice.`
          : `You followed up “${entry.subject}” on ${formatAt(m.sentAt ?? m.scheduledAt)}, and no reply has come yet. Another nudge may be one too many.`}
      </p>
      <div className="actions">
        <button className="btn primary" onClick={onClose} data-autofocus data-testid="keep-it">
          {waiting ? 'Keep that one' : 'Not now'}
        </button>
        <button className="btn" onClick={onWriteAnother} data-testid="write-another">
          Write another anyway
        </button>
      </div>
    </Dialog>
  );
}

/** The exact follow-up before it is queued: recipients, subject, text, their time and yours; the
 *  language it is written in (detected, or picked here), and the text's length and question. */
export function PreviewDialog({
  preview: p,
  onClose,
  onQueue,
  onLanguage,
  demo = false,
}: {
  preview: FollowUpPreview;
  onClose(): void;
  onQueue(text: string, lang: FollowUpLanguage): void;
  onLanguage(lang: FollowUpLanguage): void;
  demo?: boolean;
}) {
  const [text, setText] = useState(p.text);
  // Another language brings another text: the new preview's.
  useEffect(() => setText(p.text), [p.text]);
  const holdMinutes = p.holdUntil ? Math.round((Date.parse(p.holdUntil) - Date.now()) / 60_000) : 0;
  return (
    <Dialog title={`Follow-up to ${p.to.map((a) => a.name || a.address).join(', ')}`} onClose={onClose} testId="preview" wide>
      <dl className="preview-fields">
        <dt>From</dt>
        <dd data-testid="preview-from">{named(p.from)}</dd>
        <dt>To</dt>
        <dd data-testid="preview-to">{p.to.map(named).join(', ')}</dd>
        {p.cc.length > 0 && (
          <>
            <dt>Cc</dt>
            <dd data-testid="preview-cc">{p.cc.map(named).join(', ')}</dd>
          </>
        )}
        <dt>Subject</dt>
        <dd data-testid="preview-subject">{p.subject}</dd>
        <dt>Goes</dt>
        <dd data-testid="preview-when" data-scheduled={p.scheduledAt} data-zone={p.recipientTimeZone}>
          <b>{formatAt(p.scheduledAt, p.recipientTimeZone)}</b> their time ({zoneLabel(p.recipientTimeZone)}), <b>{formatAt(p.scheduledAt)}</b> yours ({zoneLabel(userZone())})
          <div className="hint">{p.scheduledReason}</div>
        </dd>
      </dl>
      <div className="inline wrap preview-language">
        <label htmlFor="preview-lang">Language</label>
        <select id="preview-lang" value={p.language.code} onChange={(e) => onLanguage(e.target.value as FollowUpLanguage)} data-testid="preview-lang">
          {FOLLOW_UP_LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.native === l.name ? l.name : `${l.native} (${l.name})`}
            </option>
          ))}
        </select>
        <span className="hint" data-testid="preview-lang-reason">
          {p.language.source === 'chosen' ? 'your choice' : `detected: ${p.language.reason}`}
        </span>
      </div>
      <label className="hint" htmlFor="preview-text">
        The text, exactly as it is sent (you can change it)
      </label>
      <textarea id="preview-text" value={text} onChange={(e) => setText(e.target.value)} data-testid="preview-text" rows={12} />
      <NudgeMeter text={text} />
      <p className="hint" data-testid="preview-hold">
        {demo
          ? 'Sample mail: it is queued on this computer and never sent.'
          : holdMinutes > 0
            ? `Nothing leaves before ${holdMinutes} minutes from now: you can take it back until then.`
            : 'It may leave at once: take it back in Follow-ups while it waits.'}
      </p>
      <div className="actions">
        <button className="btn primary" onClick={() => onQueue(text, p.language.code)} data-autofocus data-testid="preview-queue" disabled={!text.trim()}>
          Queue
        </button>
        <button className="btn" onClick={onClose} data-testid="preview-cancel">
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
