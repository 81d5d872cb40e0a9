import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ValidationProblem } from '../http/problem';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

/** Password hashing with argon2id and the password policy. */
@Injectable()
export class PasswordService implements OnModuleInit {
  /** Verified against when the e-mail is unknown, so a failed login takes as long either way. */
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('dummy-password-for-timing');
  }

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id });
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash ?? this.dummyHash, password);
    } catch {
      return false;
    }
  }

  /** Throws a validation problem on `field` when the password is too weak. */
  assertAcceptable(password: string, field: string, email?: string): void {
    const problem = (message: string, code: string): never => {
      throw new ValidationProblem([{ field, message, code }], message);
    };
    if (password.length < MIN_PASSWORD_LENGTH) {
      problem(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`, 'passwordTooShort');
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      problem(`The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`, 'passwordTooLong');
    }
    if (new Set(password).size < 4)
      problem('The password is too simple: use more different characters.', 'passwordTooSimple');
    if (
      email &&
      password.toLowerCase().includes(email.split('@')[0].toLowerCase()) &&
      email.split('@')[0].length >= 4
    ) {
      problem('The password must not contain the e-mail name.', 'passwordContainsEmail');
    }
  }
}
