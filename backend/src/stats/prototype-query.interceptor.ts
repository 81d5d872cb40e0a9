import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ValidationProblem } from '../http/problem';
import { prototypeKeyPath } from '../http/prototype-keys';

/**
 * Refuses a query string holding `__proto__`, `constructor` or `prototype` as a parameter name (400 naming it):
 * the validation pipe would drop it silently and answer as if it was not there.
 */
@Injectable()
export class RefusePrototypeQueryKeys implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const found = prototypeKeyPath(context.switchToHttp().getRequest<Request>().query);
    if (found) {
      const field = found.parent || found.key;
      throw new ValidationProblem([
        { field, code: 'prototypeKey', message: `${field} must not be used as a query parameter name` },
      ]);
    }
    return next.handle();
  }
}
