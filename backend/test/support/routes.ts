import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../src/auth/public.decorator';
import { REQUIRED_ROLE, SUPER_ADMIN_ONLY, USERS_ONLY } from '../../src/auth/roles.decorator';
import type { Role } from '../../src/auth/principal';

export interface RouteInfo {
  method: string;
  /** Express-style path, e.g. /api/v1/users/:id */
  path: string;
  isPublic: boolean;
  requiredRole?: Role;
  superAdminOnly: boolean;
  usersOnly: boolean;
  controller: string;
  handler: string;
}

/** Every HTTP route the application registered, with its access rules: tests walk these, so new routes are covered. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prefixes = [reflector.get<string | string[]>(PATH_METADATA, controller) ?? ''].flat();
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (method === undefined || paths === undefined) continue;
        const targets = [handler, controller];
        for (const prefix of prefixes) {
          for (const sub of [paths].flat()) {
            routes.push({
              method: RequestMethod[method],
              path: `/${[prefix, sub]
                .map((p) => p.replace(/^\/|\/$/g, ''))
                .filter(Boolean)
                .join('/')}`,
              isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
              requiredRole: reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets),
              superAdminOnly: reflector.getAllAndOverride<boolean>(SUPER_ADMIN_ONLY, targets) ?? false,
              usersOnly: reflector.getAllAndOverride<boolean>(USERS_ONLY, targets) ?? false,
              controller: controller.name,
              handler: name,
            });
          }
        }
      }
    }
  }
  return routes;
}

/** The path with every `:param` filled in. */
export function fillPath(path: string, params: Record<string, string> | ((name: string) => string)): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    typeof params === 'function' ? params(name) : (params[name] ?? name),
  );
}
