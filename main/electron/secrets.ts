// Account passwords through safeStorage (the OS keychain's key): each one encrypted, kept in
// <userData>/secrets.json. Where the OS offers no keychain (Linux "basic_text": a hard-coded key),
// a password is kept in memory only and the user is told, rather than written weakly.
import { safeStorage } from 'electron';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../core/deps/index.js';

type Sealed = Record<string, string>;

export class KeychainSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();
  private readonly file: string;

  constructor(
    dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.file = join(dir, 'secrets.json');
  }

  /** Whether passwords can be kept across restarts safely. */
  async available(): Promise<boolean> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
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
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'));
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
    sealed[account] = (await safeStorage.encryptStringAsync(password)).toString('base64');
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
