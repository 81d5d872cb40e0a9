import 'reflect-metadata';
import { parse } from 'node:querystring';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from '../../http/validation';
import { ValidationProblem } from '../../http/problem';
import { ContactQueryDto } from './contact.dto';

const QUERY: ArgumentMetadata = { type: 'query', metatype: ContactQueryDto, data: undefined };

/** What the pipe answers for a query string: the DTO, or the refused fields. */
async function through(pipe: ValidationPipe, query: string): Promise<unknown> {
  try {
    return { ...(await pipe.transform(parse(query), QUERY)) };
  } catch (error) {
    if (error instanceof ValidationProblem) return { refused: error.getResponse() };
    throw error;
  }
}

describe('ContactQueryDto.fastQuery through the global validation pipe', () => {
  const app = createValidationPipe();
  // the same checks without the fast path: what every answer must equal
  const full = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
  });
  const fullProblem = createValidationPipe();
  (fullProblem as unknown as { transform: ValidationPipe['transform'] }).transform = (value, metadata) =>
    ValidationPipe.prototype.transform.call(fullProblem, value, metadata);

  it('takes `?phone=` alone without the checks, as they would', async () => {
    const query = `phone=${encodeURIComponent('8 916 000-00-42')}`;
    expect(ContactQueryDto.fastQuery(parse(query))).toBeInstanceOf(ContactQueryDto);
    expect(await through(app, query)).toEqual(await through(full, query));
    expect(await through(app, query)).toEqual({ page: 1, limit: 20, phone: '8 916 000-00-42' });
    const checks = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      await app.transform(parse(query), QUERY);
      expect(checks).not.toHaveBeenCalled();
      await app.transform(parse('phone=1&page=2'), QUERY);
      expect(checks).toHaveBeenCalledTimes(1);
    } finally {
      checks.mockRestore();
    }
  });

  it.each([
    ['a phone of 41 characters', `phone=${'1'.repeat(41)}`],
    ['two phones', 'phone=1&phone=2'],
    ['another field beside it', 'phone=1&page=2'],
    ['an unknown field', 'phone=1&x=1'],
    ['a prototype key', 'phone=1&__proto__=1'],
    ['no phone', 'search=1'],
  ])('leaves %s to the checks (the same answer as without the fast path)', async (_, query) => {
    expect(ContactQueryDto.fastQuery(parse(query))).toBeNull();
    expect(await through(app, query)).toEqual(await through(fullProblem, query));
  });
});
