import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, including empty and non-ASCII text', () => {
    for (const value of ['', 'def50200abc', 'токен с пробелами ✓', 'x'.repeat(5000)]) {
      expect(box.open(box.seal(value))).toBe(value);
    }
  });

  it('writes a versioned text format without the plaintext in it', () => {
    const sealed = box.seal('access-token-123');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('access-token-123');
  });

  it('gives two different texts for two writes of the same value (fresh IV)', () => {
    const first = box.seal('same value');
    const second = box.seal('same value');
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const sealed = box.seal('refresh-token');
    const parts = sealed.split('.');
    const flip = (text: string): string => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[0] ^= 0x01;
      return bytes.toString('base64url');
    };
    for (const index of [1, 2, 3]) {
      const tampered = [...parts];
      tampered[index] = flip(tampered[index]);
      expect(() => box.open(tampered.join('.'))).toThrow(SecretBoxError);
    }
  });

  it('refuses another key, another context, unknown versions and garbage', () => {
    const sealed = box.seal('secret', 'amocrm_connections.access_token:1');
    expect(box.open(sealed, 'amocrm_connections.access_token:1')).toBe('secret');
    expect(() => box.open(sealed, 'amocrm_connections.access_token:2')).toThrow(SecretBoxError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'amocrm_connections.access_token:1')).toThrow(
      SecretBoxError,
    );
    expect(() => box.open(sealed.replace(/^v1/, 'v9'))).toThrow(SecretBoxError);
    expect(() => box.open('plain text token')).toThrow(SecretBoxError);
    expect(() => box.open('v1.a.b.c')).toThrow(SecretBoxError);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
  });

  it('keeps null as null in the optional helpers', () => {
    expect(box.sealOptional(null)).toBeNull();
    expect(box.openOptional(null)).toBeNull();
    expect(box.openOptional(box.sealOptional('v'))).toBe('v');
  });
});
