import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from './principal';

export const REQUIRED_ROLE = 'auth:requiredRole';
export const SUPER_ADMIN_ONLY = 'auth:superAdminOnly';
export const USERS_ONLY = 'auth:usersOnly';

/** The least role a route needs (admin > manager > viewer). Routes without it accept any authenticated caller. */
export const RequireRole = (role: Role): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(REQUIRED_ROLE, role), ApiExtension('x-required-role', role));

/** Platform-level routes: only the super-admin (never an API key). */
export const SuperAdminOnly = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(SUPER_ADMIN_ONLY, true), ApiExtension('x-required-role', 'super-admin'));

/** Routes about the logged-in person (profile, own password): API keys get 403. */
export const UsersOnly = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(USERS_ONLY, true), ApiExtension('x-users-only', true));
