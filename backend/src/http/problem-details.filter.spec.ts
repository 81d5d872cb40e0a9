import { ArgumentsHost, BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemDetailsFilter } from './problem-details.filter';
import { ValidationProblem } from './problem';

function httpHost() {
  const sent: { status?: number; type?: string; body?: string; headers: Record<string, string> } = {
    headers: {},
  };
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(value: string) {
      sent.type = value;
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  };
  const request = {
    originalUrl: '/api/v1/things?secret=1',
    url: '/api/v1/things',
    method: 'GET',
    id: 'req-1',
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  return { host, sent, json: () => JSON.parse(sent.body ?? '{}') };
}

describe('ProblemDetailsFilter', () => {
  const filter = new ProblemDetailsFilter();
  beforeAll(() => Logger.overrideLogger(false));

  it('answers a 500 without the error text, stack or SQL', () => {
    const { host, sent, json } = httpHost();
    filter.catch(
      new QueryFailedError(
        'SELECT * FROM users WHERE password = ?',
        [],
        new Error('ER_PARSE_ERROR near secret'),
      ),
      host,
    );
    expect(sent.status).toBe(500);
    expect(sent.type).toContain('application/problem+json');
    expect(json()).toEqual({
      type: 'urn:problem-type:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side. Quote the request id when you report it.',
      instance: '/api/v1/things',
      requestId: 'req-1',
    });
    expect(sent.body).not.toMatch(/SELECT|ER_PARSE|secret|at /);
  });

  it('keeps field errors of a validation problem', () => {
    const { host, sent, json } = httpHost();
    filter.catch(
      new ValidationProblem([{ field: 'phone', message: 'phone is not a valid number', code: 'phone' }]),
      host,
    );
    expect(sent.status).toBe(400);
    expect(json()).toMatchObject({
      type: 'urn:problem-type:validation-error',
      status: 400,
      errors: [{ field: 'phone' }],
    });
  });

  it('turns Nest HTTP exceptions into problems', () => {
    const notFound = httpHost();
    filter.catch(new NotFoundException('Cannot GET /x'), notFound.host);
    expect(notFound.json()).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /x',
    });
    const bad = httpHost();
    filter.catch(new BadRequestException(['a is wrong', 'b is wrong']), bad.host);
    expect(bad.json().detail).toBe('a is wrong; b is wrong');
  });
});
