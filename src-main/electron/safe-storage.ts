// Electron's safeStorage as the app's SecretBox: the async API (Electron >= 39), and a refusal to persist
// when the OS has no real encryption (Linux basic_text). See src-main/app/secrets.ts.
import type { SafeStorage } from 'electron';
import { secretStorageStatus, type SecretBox } from '../app/secrets';

export function safeStorageBox(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): SecretBox {
  return {
    async status() {
      let available = false;
      try {
        available = await safeStorage.isAsyncEncryptionAvailable();
      } catch {
        available = false;
      }
      const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
      return secretStorageStatus(platform, available, backend);
    },
    async encrypt(plain) {
      return safeStorage.encryptStringAsync(plain);
    },
    async decrypt(data) {
      const r = await safeStorage.decryptStringAsync(Buffer.from(data));
      return { text: r.result, shouldReEncrypt: r.shouldReEncrypt };
    },
  };
}
