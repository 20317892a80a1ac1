// The bundle signing key behind the app's SecretBox (safeStorage): the bundle module's KeyStore interface.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { KeyError, type KeyStore } from '../bundle/keys';
import { SecretFile, type SecretBox } from './secrets';

export class SecretKeyStore implements KeyStore {
  private readonly file: SecretFile;
  constructor(box: SecretBox, path: string) {
    this.file = new SecretFile(box, path);
  }

  describe(): string {
    return `the app's encrypted key store (${this.file.file})`;
  }

  async persistent(): Promise<boolean> {
    return (await this.file.status()).persistent;
  }

  async load(): Promise<KeyObject | null> {
    const pem = await this.file.load();
    if (pem === null) return null;
    try {
      return createPrivateKey(pem);
    } catch (e) {
      throw new KeyError(`the stored signing key cannot be read (${(e as Error).message}); import the organisation's key again or remove ${this.file.file}`);
    }
  }

  async save(privateKey: KeyObject): Promise<void> {
    await this.file.save(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  }
}
