import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import type { Principal } from './principal';
import { PrincipalsService } from './principals.service';

type Verify = (key: string, done: (error: unknown, principal?: Principal | null) => void) => void;

/** A passport strategy reading the client app's key from the X-Api-Key header. */
class HeaderApiKeyStrategy extends Strategy {
  name = 'api-key';

  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(request: Request): void {
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key.length === 0) {
      this.fail({ message: 'no API key' }, 401);
      return;
    }
    this.verify(key, (error, principal) => {
      if (error) this.error(error as Error);
      else if (!principal) this.fail({ message: 'unknown or revoked API key' }, 401);
      else this.success(principal);
    });
  }
}

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderApiKeyStrategy, 'api-key') {
  constructor(private readonly principals: PrincipalsService) {
    super();
  }

  validate(key: string): Promise<Principal | null> {
    return this.principals.forApiKey(key);
  }
}
