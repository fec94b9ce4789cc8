// The triage part of the service: the unanswered and Junk lists over the store, and the
// "Not junk" action on the server. The analysis itself is pure (unanswered.ts, junk.ts); this
// file loads its input, and carries out what the user decided.
import type { JunkEntry, UnansweredEntry } from '../api.js';
import type { MessageRecord } from '../store/types.js';
import type { TriageService } from '../service.js';
import type { Mailbox } from '../store/mailbox.js';
import { TriageError } from '../errors.js';
import { findUnanswered } from './unanswered.js';
import { annotateUnanswered } from './due.js';
import { loadContactPrefs, loadDefaultHours } from '../contacts/details.js';
import { localTimeZone } from '../calendar/local-zone.js';
import { junkVerdicts, type JunkVerdict } from './junk.js';
import type { TrustOverrides } from '../contacts/known.js';
import { connectImap, describeImapError } from '../imap/connect.js';
import { JUNK_KEYWORDS, NOT_JUNK_KEYWORDS, moveMessage } from '../imap/move.js';

export interface RescueResult {
  id: string;
  account: string;
  messageId: string;
  from: string;
  folder: string;
  keywords: boolean;
  note?: string;
}

/** Record bodies fetched during sync, by record id, for the analysis. */
function bodiesOf(mailboxes: Mailbox[]): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const mb of mailboxes) for (const r of mb.messages) if (r.bodyText) bodies.set(r._id, r.bodyText);
  return bodies;
}

export class TriageActions {
  constructor(private readonly service: TriageService) {}

  private get store() {
    return this.service.store;
  }

  async dismissed(): Promise<Set<string>> {
    const docs = await this.store.prefs.find({ kind: 'dismissed' });
    return new Set(docs.map((d) => String(d.target)));
  }

  async dismiss(id: string): Promise<void> {
    await this.store.prefs.update({ _id: `dismissed:${id}` }, { _id: `dismissed:${id}`, kind: 'dismissed', target: id, at: this.service.now().toISOString() }, { upsert: true });
  }

  async trustOverrides(): Promise<TrustOverrides> {
    const docs = await this.store.prefs.find({ kind: 'trust' });
    return {
      trusted: docs.filter((d) => d.trust === 'trusted').map((d) => String(d.target)),
      blocked: docs.filter((d) => d.trust === 'blocked').map((d) => String(d.target)),
    };
  }

  /** Trust or block a sender ("anna@acme.com") or a domain ("acme.com"). */
  async trust(target: string, kind: 'trusted' | 'blocked'): Promise<void> {
    const t = target.trim().toLowerCase().replace(/^@/, '');
    if (!/^([^\s@]+@)?[a-z0-9.-]+\.[a-z0-9-]+$/i.test(t)) throw new TriageError('bad-input', `"${target}" is neither an address nor a domain.`);
    await this.store.prefs.update({ _id: `trust:${t}` }, { _id: `trust:${t}`, kind: 'trust', target: t, trust: kind }, { upsert: true });
  }

  /** Awaiting mail with due dates and hints (due.ts), due first; `due`: only what is due now. */
  async unanswered(options: { now?: string; minAgeHours?: number; due?: boolean; account?: string } = {}): Promise<UnansweredEntry[]> {
    const now = options.now ? new Date(options.now) : this.service.now();
    const mailboxes = await this.service.mailboxes(options.account);
    const bodies = bodiesOf(mailboxes);
    const entries = findUnanswered({
      mailboxes,
      now,
      minAgeHours: options.minAgeHours ?? 24,
      bodies,
      dismissed: await this.dismissed(),
    });
    const annotated = annotateUnanswered({
      entries,
      mailboxes,
      now,
      bodies,
      prefs: await loadContactPrefs(this.store),
      defaultHours: await loadDefaultHours(this.store),
      defaultTimeZone: localTimeZone(),
    });
    return options.due ? annotated.filter((e) => e.due === true) : annotated;
  }

  async junk(options: { now?: string } = {}): Promise<JunkVerdict[]> {
    const mailboxes = await this.service.mailboxes();
    return junkVerdicts({ mailboxes, overrides: await this.trustOverrides(), now: options.now ?? this.service.now().toISOString() });
  }

  /** A record by local id or Message-ID (with or without angle brackets), in any account. */
  async findRecord(id: string): Promise<MessageRecord> {
    const key = id.trim().replace(/^<|>$/g, '');
    for (const account of await this.store.listAccounts()) {
      const log = await this.store.messages(account.name);
      const direct = log.get(key);
      if (direct) return direct;
      for (const r of log.values()) if (r.messageId === key) return r;
    }
    throw new TriageError('not-found', `No message with id or Message-ID "${id}". See: triage junk`);
  }

  /**
   * "Not junk": move the mail to the Inbox, mark it $NotJunk/NonJunk and clear $Junk/Junk where
   * the server allows keywords. `undo` moves it back to Junk with the opposite keywords.
   * A mail that looks forged needs `force`.
   */
  async rescue(id: string, options: { undo?: boolean; force?: boolean } = {}): Promise<RescueResult> {
    const record = await this.findRecord(id);
    const account = await this.service.account(record.account);
    const folders = await this.store.foldersOf(account.name);
    const junkFolder = folders.find((f) => f.role === 'junk');
    const inbox = folders.find((f) => f.role === 'inbox') ?? folders.find((f) => f.path.toUpperCase() === 'INBOX');
    if (!junkFolder || !inbox) throw new TriageError('not-found', `${account.name} has no ${junkFolder ? 'Inbox' : 'Junk'} folder known; run triage sync, or set the folder's role.`);
    if (account.demo) throw new TriageError('unavailable', 'This is the sample mailbox: moving mail needs a real account on a server.');

    const from = options.undo ? inbox.path : junkFolder.path;
    const to = options.undo ? junkFolder.path : inbox.path;
    const fromAddress = record.from[0]?.address ?? '(no sender)';
    if (!options.undo) {
      if (!record.locations.some((l) => l.folder === junkFolder.path)) {
        throw new TriageError('not-found', `That mail is not in ${junkFolder.path} (any more). Undo a rescue with --undo.`);
      }
      const verdict = (await this.junk()).find((v) => v.id === record._id);
      if (verdict?.verdict === 'suspicious' && !options.force) {
        throw new TriageError('needs-force', `Not moved: this mail from ${fromAddress} looks forged (${verdict.reasons.join('; ')}). Rescue it anyway with --force.`);
      }
    }

    const password = await this.service.deps.secrets.get(account.name);
    if (password === null) throw new TriageError('auth-failed', `No password for account ${account.name}.`);
    const client = await connectImap({ server: account.imap, password });
    try {
      // The Message-ID is the key: UIDs may have changed since the last sync.
      await client.mailboxOpen(from);
      const uids: number[] = (await client.search({ header: { 'message-id': `<${record.messageId}>` } }, { uid: true })) || [];
      if (!uids.length) {
        throw new TriageError('not-found', `That mail is no longer in ${from} on the server; run triage sync to refresh.`);
      }
      const moved = await moveMessage(client, {
        from,
        to,
        uid: uids[0],
        messageId: record.messageId,
        addKeywords: options.undo ? JUNK_KEYWORDS : NOT_JUNK_KEYWORDS,
        removeKeywords: options.undo ? NOT_JUNK_KEYWORDS : JUNK_KEYWORDS,
      });
      await this.updateLocation(record, from, uids[0], to, moved.uid);
      return {
        id: record._id,
        account: account.name,
        messageId: record.messageId,
        from: fromAddress,
        folder: to,
        keywords: moved.keywords,
        ...(moved.keywordNote ? { note: moved.keywordNote } : {}),
      };
    } catch (e) {
      if (e instanceof TriageError) throw e;
      throw describeImapError(e, account.imap);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** Keep the store in step with the move, so the lists change at once (sync confirms later). */
  private async updateLocation(record: MessageRecord, from: string, fromUid: number, to: string, toUid: number | null): Promise<void> {
    const log = await this.store.messages(record.account);
    const current = log.get(record._id) ?? record;
    const moving = current.locations.find((l) => l.folder === from && l.uid === fromUid) ?? current.locations.find((l) => l.folder === from);
    const locations = current.locations.filter((l) => l !== moving);
    if (toUid !== null) locations.push({ folder: to, uid: toUid, flags: moving?.flags ?? [] });
    await log.put([{ ...current, locations }]);
  }
}

export type { JunkEntry };
