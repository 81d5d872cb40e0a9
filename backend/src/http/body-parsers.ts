import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { checkBodyShape, describeBodyShapeViolation } from './body-shape';
import { problemType, statusTitle, type ProblemBody } from './problem';
import { sendProblem } from './send-problem';

/** Webhook bodies are kept raw (up to 1 MB) and parsed by their source adapter; everything else is JSON. */
export const WEBHOOK_BODY_LIMIT = '1mb';
const JSON_BODY_LIMIT = '1mb';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * Reads a webhook body raw (any content type, gzip/deflate/br inflated, at most 1 MB) into `req.body`; plain Node
 * request and response objects suffice (the webhook entry calls it before Express sees the request).
 */
export function webhookBodyParser(): (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  return express.raw({ limit: WEBHOOK_BODY_LIMIT, type: () => true }) as never;
}

export function installBodyParsers(app: INestApplication): void {
  const isWebhook = (req: Request): boolean => req.path.startsWith('/webhooks/');
  const json = express.json({ limit: JSON_BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  const raw = webhookBodyParser();
  app.use((req: Request, res: Response, next: NextFunction) => (isWebhook(req) ? raw : json)(req, res, next));
  app.use(bodyParserErrors);
  app.use(boundedBodyShape);
}

/** A parsed body too deep or with too many keys is refused before the validation pipe walks it (400). */
function boundedBodyShape(req: Request, res: Response, next: NextFunction): void {
  const violation = Buffer.isBuffer(req.body) ? null : checkBodyShape(req.body);
  if (!violation) {
    next();
    return;
  }
  sendProblem(req, res, {
    type: problemType('body-too-complex'),
    title: statusTitle(400),
    status: 400,
    detail: describeBodyShapeViolation(violation),
  });
}

const KNOWN_BODY_ERRORS: Record<string, { status: number; slug: string; detail: string } | undefined> = {
  'entity.too.large': {
    status: 413,
    slug: 'payload-too-large',
    detail: 'The request body is larger than 1 MB.',
  },
  'entity.parse.failed': {
    status: 400,
    slug: 'malformed-body',
    detail: 'The request body is not valid JSON.',
  },
  'encoding.unsupported': {
    status: 415,
    slug: 'unsupported-encoding',
    detail: 'The content encoding is not supported.',
  },
  'charset.unsupported': {
    status: 415,
    slug: 'unsupported-charset',
    detail: 'The charset is not supported; use UTF-8.',
  },
  'request.aborted': {
    status: 400,
    slug: 'request-aborted',
    detail: 'The request was aborted by the client.',
  },
};

/** Turns body-parser failures (too large, malformed JSON, bad charset) into problem+json answers. */
function bodyParserErrors(error: BodyParserError, req: Request, res: Response, next: NextFunction): void {
  const problem = bodyParserProblem(error);
  if (!problem) {
    next(error);
    return;
  }
  sendProblem(req, res, problem);
}

/** The problem+json answer to a body-parser failure; null for any other error. */
export function bodyParserProblem(error: unknown): ProblemBody | null {
  const type = (error as BodyParserError | null | undefined)?.type;
  if (typeof type !== 'string') return null;
  const match = (Object.hasOwn(KNOWN_BODY_ERRORS, type) ? KNOWN_BODY_ERRORS[type] : undefined) ?? {
    status: (error as BodyParserError).status ?? 400,
    slug: 'bad-request',
    detail: 'The request body could not be read.',
  };
  return {
    type: problemType(match.slug),
    title: statusTitle(match.status),
    status: match.status,
    detail: match.detail,
  };
}
