import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor, Principal } from './principal';

/** The authenticated caller of this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<Request>().user as Principal,
);

/** The caller plus the client IP, for services that write the audit log. */
export const RequestActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<Request>();
  return { principal: (request.user as Principal | undefined) ?? null, ip: clientIp(request) };
});

export function clientIp(request: Request): string {
  return (request.ip ?? request.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

export type AuthenticatedActor = Actor & { principal: Principal };
