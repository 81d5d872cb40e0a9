import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenProblem } from './auth.problems';
import { roleAtLeast, type Principal, type Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLE, SUPER_ADMIN_ONLY, USERS_ONLY } from './roles.decorator';

/** Global, after authentication: the caller's role must reach the route's @RequireRole / @SuperAdminOnly. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const principal = context.switchToHttp().getRequest<Request>().user as Principal | undefined;
    if (!principal) return false;
    if (principal.kind !== 'user' && this.reflector.getAllAndOverride<boolean>(USERS_ONLY, targets)) {
      throw new ForbiddenProblem('This is for logged-in users; API keys cannot do it.');
    }
    if (this.reflector.getAllAndOverride<boolean>(SUPER_ADMIN_ONLY, targets)) {
      if (principal.kind === 'user' && principal.isSuperAdmin) return true;
      throw new ForbiddenProblem('Only the platform super-admin can do this.');
    }
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (required && !roleAtLeast(principal.role, required)) {
      throw new ForbiddenProblem(`This needs the ${required} role or higher; yours is ${principal.role}.`);
    }
    return true;
  }
}
