import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import type { Principal } from './principal';
import { PrincipalsService } from './principals.service';
import { JWT_ALGORITHM, type AccessTokenPayload } from './tokens.service';

/**
 * Bearer access tokens: HS256 only, an `exp` claim required and enforced, and the token's session still open
 * (not logged out, not closed by refresh-token reuse, the user's session version unchanged, the user enabled).
 */
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

  async validate(payload: Partial<AccessTokenPayload> & { exp?: unknown }): Promise<Principal | null> {
    // The library enforces `exp` only when present: a token without one would never expire, so it is refused.
    if (typeof payload.exp !== 'number') return null;
    if (payload.typ !== 'access' || typeof payload.sub !== 'string') return null;
    if (typeof payload.sid !== 'string' || typeof payload.sv !== 'number') return null;
    return this.principals.forAccessToken({
      userId: payload.sub,
      sessionId: payload.sid,
      sessionVersion: payload.sv,
    });
  }
}
