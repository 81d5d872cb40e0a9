import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** The format written today; older versions stay readable when keys rotate. */
const CURRENT_VERSION = 'v1';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A sealed value could not be opened: wrong key, tampered text, or not something this box wrote. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Encrypts secrets at rest (OAuth tokens, client secrets) with AES-256-GCM.
 *
 * Sealed text is `v1.<iv>.<tag>.<ciphertext>` in base64url: a fresh 96-bit IV per write, the 128-bit
 * authentication tag, and a version prefix so a later key (v2…) can be introduced while v1 values are
 * still read. An optional `context` is bound as additional authenticated data, so a value copied into
 * another row or column does not open there.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`the encryption key must be ${KEY_BYTES} bytes`);
    this.key = Buffer.from(key);
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [CURRENT_VERSION, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context = ''): string {
    const parts = sealed.split('.');
    if (
      parts.length !== 4 ||
      parts[0] !== CURRENT_VERSION ||
      !parts.slice(1).every((part) => BASE64URL.test(part))
    ) {
      throw new SecretBoxError('not a sealed value of a known version');
    }
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new SecretBoxError('the sealed value is malformed');
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'the sealed value does not open with this key (tampered, wrong key or wrong context)',
      );
    }
  }

  /** Seals `value` unless it is null or undefined. */
  sealOptional(value: string | null | undefined, context = ''): string | null {
    return value === null || value === undefined ? null : this.seal(value, context);
  }

  openOptional(sealed: string | null | undefined, context = ''): string | null {
    return sealed === null || sealed === undefined ? null : this.open(sealed, context);
  }
}
