import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';

export interface RouteInfo {
  /** `GET`, `POST`…, or `ALL` for an @All route. */
  method: string;
  /** Express-style path, e.g. /api/v1/users/:id or /webhooks/*path */
  path: string;
  controller: string;
  handler: string;
}

/**
 * Every HTTP route the application registered: tests enumerate these so a new route cannot go unchecked.
 * Deliberately no access rules here (the guard's decorators): expected answers come from the hand-written
 * matrix in test/support/access-matrix.ts, never from the code under test.
 */
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
        for (const prefix of prefixes) {
          for (const sub of [paths].flat()) {
            routes.push({
              method: RequestMethod[method],
              path: `/${[prefix, sub]
                .map((p) => p.replace(/^\/|\/$/g, ''))
                .filter(Boolean)
                .join('/')}`,
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

/** The path with every `:param` (and `*wildcard`) filled in. */
export function fillPath(path: string, params: Record<string, string> | ((name: string) => string)): string {
  return path.replace(/[:*]([A-Za-z0-9_]+)/g, (_m, name: string) =>
    typeof params === 'function' ? params(name) : (params[name] ?? name),
  );
}
