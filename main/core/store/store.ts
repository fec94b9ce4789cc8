// The local store: small nedb datastores for accounts, folders, the follow-up queue and user
// preferences; one message log per account for the (large) message metadata.
// Layout of a data dir:
//   accounts.db  folders.db  queue.db  prefs.db   (nedb, compacted on every load, every write
//                                                  fsynced, a torn file repaired: small-store.ts)
//   messages/<account>.jsonl                       (MessageLog, compacted when it pays)
//   messages/<account>.jsonl.index                 (what sync needs without the records: a
//                                                  cache, checked against the log; log-index.ts)
//   analysis/<list>.json                           (snapshots of the lists' analyses, keyed by
//                                                  the state they were made from: a cache,
//                                                  safe to delete; snapshot-file.ts)
//   triage.lock/owner.json                         (single writer: see lock.ts)
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type Datastore from 'nedb-promises';
import type { AccountConfig, FolderState } from '../model.js';
import { MessageLog, type LogCounts, type TextRule } from './message-log.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import { openSmallStore } from './small-store.js';

/** A user preference: contact overrides, dismissed mail, trusted/blocked senders. */
export interface PrefDoc {
  _id: string;
  kind: 'contact' | 'dismissed' | 'trust' | 'setting';
  [field: string]: unknown;
}

/** A queued follow-up; its fields are owned by main/core/followup. */
export interface QueueDoc {
  _id: string;
  [field: string]: unknown;
}

export type AccountDoc = AccountConfig & { _id: string };

/** Where the app keeps its data when neither --data-dir nor TRIAGE_DATA_DIR says otherwise. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TRIAGE_DATA_DIR) return env.TRIAGE_DATA_DIR;
  // The same folder Electron's app.getPath('userData') uses for an app named inbox-triage,
  // so the CLI and the desktop app share one store.
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'inbox-triage');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'inbox-triage');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'inbox-triage');
}

/**
 * File name of an account's message log. Hex of the UTF-8 name: injective (two accounts never
 * share a log, whatever their names) and safe on case-insensitive file systems ("Work"/"work").
 */
export function accountFileName(account: string): string {
  return Buffer.from(account, 'utf8').toString('hex');
}

export interface StoreOpenOptions {
  /** Take the data-dir lock (default true). */
  lock?: boolean;
  lockWaitMs?: number;
  /**
   * Told about damage found and repaired while opening (a torn last line, unreadable lines), one
   * sentence each. Default: written to stderr, which the CLI contract reserves for warnings.
   */
  warn?: (message: string) => void;
}

export class Store {
  private readonly logs = new Map<string, Promise<MessageLog>>();
  private readonly opened = new Map<string, MessageLog>();
  /** Writes through this object to accounts, folders and prefs (see version()). */
  private generation = 0;
  /** What the logs' indexes mark for the body pass (setTextRule). */
  private textRule: TextRule | null = null;

  private constructor(
    readonly dir: string,
    readonly accounts: Datastore<AccountDoc>,
    readonly folders: Datastore<FolderState>,
    readonly queue: Datastore<QueueDoc>,
    readonly prefs: Datastore<PrefDoc>,
    private readonly lock: DataDirLock | null,
    /** What was found damaged and repaired while opening (also given to `warn`). */
    readonly problems: readonly string[],
  ) {}

  static async open(dir: string, { lock = true, lockWaitMs, warn }: StoreOpenOptions = {}): Promise<Store> {
    await mkdir(dir, { recursive: true });
    const held = lock ? await lockDataDir(dir, { waitMs: lockWaitMs }) : null;
    const problems: string[] = [];
    const report = (message: string) => {
      problems.push(message);
      if (warn) warn(message);
      else process.stderr.write(`inbox-triage: ${message}\n`);
    };
    try {
      const ds = <T>(name: string) => openSmallStore<T>(join(dir, name), report);
      const [accounts, folders, queue, prefs] = await Promise.all([
        ds<AccountDoc>('accounts.db'),
        ds<FolderState>('folders.db'),
        ds<QueueDoc>('queue.db'),
        ds<PrefDoc>('prefs.db'),
      ]);
      return new Store(dir, accounts, folders, queue, prefs, held, problems);
    } catch (e) {
      await held?.release();
      throw e;
    }
  }

  /** The file of an account's message log. */
  logFile(account: string): string {
    return join(this.dir, 'messages', `${accountFileName(account)}.jsonl`);
  }

  /**
   * How many records an account has, and copies per folder: from its loaded log, else from the
   * summary beside the log file (no load), else by loading it.
   */
  async messageCounts(account: string): Promise<LogCounts> {
    const loaded = this.opened.get(account);
    if (loaded) return loaded.counts();
    return (await MessageLog.summary(this.logFile(account))) ?? (await this.messages(account)).counts();
  }

  /** The message log of an account with every record loaded (once per process). */
  async messages(account: string): Promise<MessageLog> {
    const log = await this.openLog(account, true);
    await log.loadAll();
    return log;
  }

  /**
   * The message log of an account with its index read (store/log-index.ts): get() reads one
   * record, values() needs loadAll(). What sync uses; the same object as messages() gives.
   */
  async messageLog(account: string): Promise<MessageLog> {
    const log = await this.openLog(account, false);
    await log.ensureIndex();
    return log;
  }

  /** Opened once per process: loading every record (`full`) or from the index. */
  private openLog(account: string, full: boolean): Promise<MessageLog> {
    let log = this.logs.get(account);
    if (!log) {
      log = full ? MessageLog.open(this.logFile(account), this.textRule) : MessageLog.openIndexed(this.logFile(account), this.textRule);
      this.logs.set(account, log);
      log.then(
        (l) => {
          if (this.textRule) l.setTextRule(this.textRule); // given while it opened
          this.opened.set(account, l);
        },
        () => this.logs.delete(account),
      );
    }
    return log;
  }

  /**
   * Changes whenever anything an analysis reads changed: an account, a folder, a preference or
   * a message log (every write goes through this object or a log it opened). The analysis cache
   * keys on it; the follow-up queue is not part of it (no analysis reads the queue).
   */
  version(): string {
    let v = `${this.generation}`;
    for (const [name, log] of [...this.opened].sort(([a], [b]) => (a < b ? -1 : 1))) v += `|${name}:${log.version}`;
    return v;
  }

  /** Give the rule the logs' indexes mark records by (imap/bodies.ts TEXT_WANTED), to every log. */
  setTextRule(rule: TextRule): void {
    this.textRule = rule;
    for (const log of this.opened.values()) log.setTextRule(rule);
  }

  /** Note a write to accounts, folders or prefs (store/prefs.ts calls it for every change). */
  touch(): void {
    this.generation++;
  }

  async listAccounts(): Promise<AccountConfig[]> {
    const docs = await this.accounts.find({}).sort({ createdAt: 1 });
    return docs.map(({ _id, ...a }) => a as AccountConfig);
  }

  async getAccount(name: string): Promise<AccountConfig | null> {
    const doc = await this.accounts.findOne({ _id: name });
    if (!doc) return null;
    const { _id, ...a } = doc;
    return a as AccountConfig;
  }

  async saveAccount(account: AccountConfig): Promise<void> {
    await this.accounts.update({ _id: account.name }, { ...account, _id: account.name }, { upsert: true });
    this.touch();
  }

  async removeAccount(name: string): Promise<void> {
    this.touch();
    await this.accounts.remove({ _id: name }, { multi: false });
    await this.folders.remove({ account: name }, { multi: true });
    const log = await this.messages(name);
    await log.remove([...log.values()].map((r) => r._id));
    await log.compact();
    this.logs.delete(name);
    this.opened.delete(name);
  }

  async foldersOf(account: string): Promise<FolderState[]> {
    return this.folders.find({ account }).sort({ path: 1 });
  }

  async saveFolder(folder: FolderState): Promise<void> {
    const before = await this.folders.findOne({ _id: folder._id });
    await this.folders.update({ _id: folder._id }, folder, { upsert: true });
    // A sync that found nothing new saves every folder's lastSyncAt: that changes no analysis.
    if (!before || before.role !== folder.role || before.path !== folder.path || before.synced !== folder.synced) this.touch();
  }

  async removeFolder(id: string): Promise<void> {
    await this.folders.remove({ _id: id }, { multi: false });
    this.touch();
  }

  /** Compact what has grown: message logs with many superseded lines. nedb compacts on load. */
  async compact(): Promise<void> {
    for (const log of this.logs.values()) {
      const l = await log;
      if (l.needsCompaction()) await l.compact();
    }
  }

  /** Write the index of every log whose index is behind (sync does it when done). */
  async saveIndexes(): Promise<void> {
    for (const log of this.logs.values()) await (await log).saveIndex();
  }

  async close(): Promise<void> {
    await this.compact().catch(() => undefined);
    await this.saveIndexes().catch(() => undefined);
    await this.lock?.release();
  }
}
