import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ValidationProblem } from '../../http/problem';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first prototype-like key in a parsed JSON body (`columns`, `a.b`), or null. */
export function prototypeKeyPath(value: unknown, path = ''): { parent: string; key: string } | null {
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (PROTOTYPE_KEYS.has(key)) return { parent: path, key };
    const found = prototypeKeyPath(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses a JSON body holding `__proto__`, `constructor` or `prototype` as a key (400 naming the object that holds
 * it). It runs before the validation pipe, which would drop `__proto__` silently and fail on `constructor`; the
 * body's depth and size are bounded before (src/http/body-shape.ts).
 */
@Injectable()
export class RefusePrototypeKeys implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const found = prototypeKeyPath(context.switchToHttp().getRequest<Request>().body);
    if (found) {
      const field = found.parent || found.key;
      throw new ValidationProblem([
        { field, code: 'prototypeKey', message: `${field} must not use "${found.key}" as a key` },
      ]);
    }
    return next.handle();
  }
}
