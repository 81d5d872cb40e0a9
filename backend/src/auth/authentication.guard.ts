import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { AmbiguousCredentialsProblem, UnauthorizedProblem } from './auth.problems';
import type { Principal } from './principal';
import { PrincipalsService } from './principals.service';
import { IS_PUBLIC } from './public.decorator';

/** Global: every route needs a valid access token or API key (not both: 400), unless marked @Public(). */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalsService,
  ) {
    super();
  }

  override canActivate(
    context: ExecutionContext,
  ): ReturnType<ReturnType<typeof AuthGuard>['prototype']['canActivate']> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const { headers } = request;
    const key = headers['x-api-key'];
    if (key !== undefined && /^bearer\s/i.test(headers.authorization ?? ''))
      throw new AmbiguousCredentialsProblem();
    // an API key alone (the client apps' calls): the api-key strategy's check and answers, without passport's
    // per-request machinery (about as much CPU as the check itself)
    if (typeof key === 'string' && key.length > 0 && headers.authorization === undefined)
      return this.byApiKey(request, key);
    return super.canActivate(context);
  }

  private async byApiKey(request: Request, key: string): Promise<boolean> {
    const principal = await this.principals.forApiKey(key);
    if (!principal)
      throw new UnauthorizedProblem('The API key is unknown or has been revoked.', 'invalid-api-key');
    request.user = principal;
    return true;
  }

  override handleRequest<T = Principal>(
    error: unknown,
    principal: T | false,
    info: unknown,
    context: ExecutionContext,
  ): T {
    if (error) throw error instanceof Error ? error : new UnauthorizedProblem();
    if (principal) return principal;
    const request = context.switchToHttp().getRequest<Request>();
    if (request.headers['x-api-key'])
      throw new UnauthorizedProblem('The API key is unknown or has been revoked.', 'invalid-api-key');
    const expired = [info]
      .flat()
      .some((item) => (item as { name?: string } | undefined)?.name === 'TokenExpiredError');
    if (expired) throw new UnauthorizedProblem('The access token has expired: refresh it.', 'token-expired');
    if (request.headers.authorization)
      throw new UnauthorizedProblem(
        'The access token is invalid, or the account is disabled.',
        'invalid-token',
      );
    throw new UnauthorizedProblem();
  }
}
