import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  internalErrorProblem,
  ProblemException,
  problemType,
  statusTitle,
  type ProblemBody,
} from './problem';
import { sendProblem } from './send-problem';

/** The one global filter: every error leaves as application/problem+json, never with a stack or SQL text. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();

    if (exception instanceof ProblemException) {
      sendProblem(request, response, exception.problem, exception.headers);
      return;
    }
    if (exception instanceof HttpException) {
      sendProblem(request, response, fromHttpException(exception), retryAfter(exception));
      return;
    }
    this.logger.error(
      {
        err: exception,
        method: request.method,
        route: (request.route as { path?: string } | undefined)?.path,
      },
      'unhandled error',
    );
    sendProblem(request, response, internalErrorProblem());
  }
}

function fromHttpException(exception: HttpException): ProblemBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const detail =
    typeof message === 'string'
      ? message
      : Array.isArray(message)
        ? message.map(String).join('; ')
        : exception.message;
  return { type: problemType(), title: statusTitle(status), status, detail };
}

function retryAfter(exception: HttpException): Record<string, string> {
  const response = exception.getResponse() as { retryAfter?: unknown };
  return typeof response === 'object' && typeof response.retryAfter === 'number'
    ? { 'Retry-After': String(response.retryAfter) }
    : {};
}
