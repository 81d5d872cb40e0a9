import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ValidationProblem } from './problem';
import { prototypeKeyPath } from './prototype-keys';

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
