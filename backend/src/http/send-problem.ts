import type { Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem';

/** Writes a problem+json answer; shared by the exception filter and the body-parser error handler. */
export function sendProblem(
  request: Request,
  response: Response,
  problem: ProblemBody,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const requestId = (request as Request & { id?: unknown }).id;
  const body: ProblemBody = {
    ...problem,
    instance: problem.instance ?? maskedPath(request.originalUrl ?? request.url),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** The path without its query; webhook secrets in the path are never echoed back. */
export function maskedPath(url: string): string {
  const path = url.split('?')[0] ?? url;
  return path.replace(/^(\/webhooks\/[^/]+\/)[^/]+/, '$1***');
}
