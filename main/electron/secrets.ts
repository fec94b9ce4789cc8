// Account passwords through safeStorage (the OS keychain's key), kept in <userData>/secrets.json by
// main/core/store/secret-file.ts. Where the OS offers no keychain (Linux "basic_text": a
// hard-coded key), a password is kept in memory only and the user is told, rather than written
// weakly.
import { safeStorage } from 'electron';
import { join } from 'node:path';
import { SealedSecretStore, type Sealer } from '../core/store/index.js';
import { secretTokenVault, type TokenVault } from '../core/auth/index.js';

const keychain: Sealer = {
  async available() {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt: (plain) => safeStorage.encryptStringAsync(plain),
  decrypt: async (sealed) => (await safeStorage.decryptStringAsync(sealed)).result,
};

export class KeychainSecretStore extends SealedSecretStore {
  constructor(dir: string, warn: (message: string) => void) {
    super({ file: join(dir, 'secrets.json'), sealer: keychain, warn });
  }
}

/** OAuth2 grants (refresh tokens) sealed the same way, in <userData>/tokens.json. Where there is no
 *  keychain they live in memory only: the user signs in again after a restart. */
export function keychainTokenVault(dir: string, warn: (message: string) => void): TokenVault {
  const sealed = new SealedSecretStore({ file: join(dir, 'tokens.json'), sealer: keychain, warn, kind: 'sign-in' });
  return secretTokenVault(sealed);
}
