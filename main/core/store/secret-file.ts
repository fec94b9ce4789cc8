// Saved account passwords: each one sealed by the platform (the Electron app: safeStorage, i.e.
// the OS keychain's key) and kept in <userData>/secrets.json as {account: base64}. The sealing is
// passed in, so this file-handling is plain Node and tested without Electron
// (main/electron/secrets.ts only supplies safeStorage).
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SecretStore } from '../secrets.js';

/** The platform's encryption of secrets at rest. */
export interface Sealer {
  /** Whether secrets can be kept across restarts safely (a real keychain, not a fixed key). */
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

type Sealed = Record<string, string>;

export interface SealedSecretStoreOptions {
  /** The secrets file, e.g. <userData>/secrets.json. */
  file: string;
  sealer: Sealer;
  /** A sentence for the user (a password that cannot be kept or read). */
  warn: (message: string) => void;
}

/**
 * Passwords sealed into a file. Where the platform offers no safe sealing, a password is kept in
 * memory only and the user is told, rather than written weakly.
 */
export class SealedSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();
  readonly file: string;
  private readonly sealer: Sealer;
  private readonly warn: (message: string) => void;

  constructor({ file, sealer, warn }: SealedSecretStoreOptions) {
    this.file = file;
    this.sealer = sealer;
    this.warn = warn;
  }

  /** Whether passwords can be kept across restarts safely. */
  available(): Promise<boolean> {
    return this.sealer.available();
  }

  private async read(): Promise<Sealed> {
    try {
      const v = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      return v && typeof v === 'object' ? (v as Sealed) : {};
    } catch {
      return {};
    }
  }

  private async write(sealed: Sealed): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(sealed), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  async get(account: string): Promise<string | null> {
    const mem = this.memory.get(account);
    if (mem !== undefined) return mem;
    const sealed = (await this.read())[account];
    if (!sealed || !(await this.available())) return null;
    try {
      const result = await this.sealer.decrypt(Buffer.from(sealed, 'base64'));
      this.memory.set(account, result);
      return result;
    } catch {
      this.warn(`The saved password of ${account} cannot be read any more (the keychain changed); enter it again under Accounts.`);
      return null;
    }
  }

  async set(account: string, password: string): Promise<void> {
    this.memory.set(account, password);
    if (!(await this.available())) {
      this.warn(`No system keychain: the password of ${account} is kept only until the app quits.`);
      return;
    }
    const sealed = await this.read();
    sealed[account] = (await this.sealer.encrypt(password)).toString('base64');
    await this.write(sealed);
  }

  async remove(account: string): Promise<void> {
    this.memory.delete(account);
    const sealed = await this.read();
    if (account in sealed) {
      delete sealed[account];
      await this.write(sealed);
    }
  }
}
