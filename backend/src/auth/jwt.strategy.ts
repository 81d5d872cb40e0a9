import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import type { Principal } from './principal';
import { PrincipalsService } from './principals.service';
import { JWT_ALGORITHM, type AccessTokenPayload } from './tokens.service';

/** Bearer access tokens: HS256 only, expiry enforced, the user re-read so disabling applies at once. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly principals: PrincipalsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<Principal | null> {
    if (payload.typ !== 'access' || typeof payload.sub !== 'string') return null;
    return this.principals.forUserId(payload.sub);
  }
}
