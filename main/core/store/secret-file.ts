// Saved account passwords: each one sealed by the platform (the Electron app: safeStorage, i.e.
// the OS keychain's key) and kept in <userData>/secrets.json as {account: base64}. The sealing is
// passed in, so this file-handling is plain Node and tested without Electron
// (main/electron/secrets.ts only supplies safeStorage).
//
// The file is the only copy of every saved password, so:
// - a write goes to a temp file of its own (unique name, mode 0600), is fsynced, renamed over
//   secrets.json (atomic: a reader sees the old file or the new one) and the directory fsynced;
// - read-modify-write cycles are serialised per file in this process, so two saves cannot drop
//   each other's password. Across processes the data-dir lock serialises them: the desktop app,
//   the only process that saves passwords, holds it for its whole run (main/electron/index.ts);
// - a file that cannot be parsed is moved aside (secrets.json.corrupt-<time>) and reported,
//   never taken for an empty one and overwritten; a read that fails for another reason (I/O,
//   permissions) fails the operation and changes nothing.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { SecretStore } from '../deps/index.js';

/** The platform's encryption of secrets at rest. */
export interface Sealer {
  /** Whether secrets can be kept across restarts safely (a real keychain, not a fixed key). */
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

type Sealed = Record<string, string>;

/** Per file: the tail of the chain of operations on it (this process). */
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(file: string, op: () => Promise<T>): Promise<T> {
  const run = (queues.get(file) ?? Promise.resolve()).then(op, op);
  const tail = run.catch(() => undefined);
  queues.set(file, tail);
  void tail.then(() => {
    if (queues.get(file) === tail) queues.delete(file);
  });
  return run;
}

async function fsyncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** After a rename, the directory too (POSIX); where a directory cannot be fsynced (Windows), skip. */
async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncPath(dir, 'r');
  } catch (e) {
    if (process.platform !== 'win32') throw e;
  }
}

function isSealedMap(v: unknown): v is Sealed {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

export interface SealedSecretStoreOptions {
  /** The secrets file, e.g. <userData>/secrets.json. */
  file: string;
  sealer: Sealer;
  /** A sentence for the user (a password that cannot be kept or read). */
  warn: (message: string) => void;
  /** What the file keeps, for those sentences: passwords (default) or OAuth2 sign-ins. */
  kind?: 'password' | 'sign-in';
}

const WORDS = {
  password: { noun: 'password', redo: 'enter it again under Accounts', redoAll: 'enter them again under Accounts' },
  'sign-in': { noun: 'sign-in', redo: 'sign in again under Accounts', redoAll: 'sign in again under Accounts' },
} as const;

/**
 * Passwords sealed into a file. Where the platform offers no safe sealing, a password is kept in
 * memory only and the user is told, rather than written weakly.
 */
export class SealedSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();
  readonly file: string;
  private readonly sealer: Sealer;
  private readonly warn: (message: string) => void;
  private readonly words: (typeof WORDS)[keyof typeof WORDS];

  constructor({ file, sealer, warn, kind = 'password' }: SealedSecretStoreOptions) {
    this.file = resolve(file);
    this.sealer = sealer;
    this.warn = warn;
    this.words = WORDS[kind];
  }

  /** Whether passwords can be kept across restarts safely. */
  available(): Promise<boolean> {
    return this.sealer.available();
  }

  /** The sealed passwords on disk; call inside `serialised`. */
  private async read(): Promise<Sealed> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Sealed;
      throw e;
    }
    let reason: string;
    try {
      const v = JSON.parse(text) as unknown;
      // Without a prototype: an account named "__proto__" is a key like any other.
      if (isSealedMap(v)) return Object.assign(Object.create(null) as Sealed, v);
      reason = `it is not a list of saved ${this.words.noun}s`;
    } catch {
      reason = 'it is not valid JSON';
    }
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, aside);
    await fsyncDir(dirname(this.file));
    this.warn(
      `The file of saved ${this.words.noun}s could not be read (${reason}); it is kept as ${basename(aside)}. ` +
        `The saved ${this.words.noun}s in it cannot be used: ${this.words.redoAll}.`,
    );
    return Object.create(null) as Sealed;
  }

  /** Replace the file atomically and durably; call inside `serialised`. */
  private async write(sealed: Sealed): Promise<void> {
    const tmp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(JSON.stringify(sealed), 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    await fsyncDir(dirname(this.file));
  }

  async get(account: string): Promise<string | null> {
    const mem = this.memory.get(account);
    if (mem !== undefined) return mem;
    const sealed = (await serialised(this.file, () => this.read()))[account];
    if (!sealed || !(await this.available())) return null;
    try {
      const result = await this.sealer.decrypt(Buffer.from(sealed, 'base64'));
      this.memory.set(account, result);
      return result;
    } catch {
      this.warn(`The saved ${this.words.noun} of ${account} cannot be read any more (the keychain changed); ${this.words.redo}.`);
      return null;
    }
  }

  async set(account: string, password: string): Promise<void> {
    this.memory.set(account, password);
    if (!(await this.available())) {
      this.warn(`No system keychain: the ${this.words.noun} of ${account} is kept only until the app quits.`);
      return;
    }
    const value = (await this.sealer.encrypt(password)).toString('base64');
    await serialised(this.file, async () => {
      const sealed = await this.read();
      sealed[account] = value;
      await this.write(sealed);
    });
  }

  async remove(account: string): Promise<void> {
    this.memory.delete(account);
    await serialised(this.file, async () => {
      const sealed = await this.read();
      if (account in sealed) {
        delete sealed[account];
        await this.write(sealed);
      }
    });
  }
}
