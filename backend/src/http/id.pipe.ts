import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationProblem } from './problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates an `:id` path parameter: our ids are UUIDs. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value))
      throw new ValidationProblem([{ field: 'id', message: 'id must be a UUID', code: 'isUuid' }]);
    return value.toLowerCase();
  }
}
