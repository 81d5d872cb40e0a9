import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { checkBodyShape, describeBodyShapeViolation } from './body-shape';
import { problemType, statusTitle } from './problem';
import { sendProblem } from './send-problem';

/** Webhook bodies are kept raw (up to 1 MB) and parsed by their source adapter; everything else is JSON. */
export const WEBHOOK_BODY_LIMIT = '1mb';
const JSON_BODY_LIMIT = '1mb';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

export function installBodyParsers(app: INestApplication): void {
  const isWebhook = (req: Request): boolean => req.path.startsWith('/webhooks/');
  const json = express.json({ limit: JSON_BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  const raw = express.raw({ limit: WEBHOOK_BODY_LIMIT, type: () => true });
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

/** Turns body-parser failures (too large, malformed JSON, bad charset) into problem+json answers. */
function bodyParserErrors(error: BodyParserError, req: Request, res: Response, next: NextFunction): void {
  if (!error?.type) {
    next(error);
    return;
  }
  const known: Record<string, { status: number; slug: string; detail: string }> = {
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
  const match = known[error.type] ?? {
    status: error.status ?? 400,
    slug: 'bad-request',
    detail: 'The request body could not be read.',
  };
  sendProblem(req, res, {
    type: problemType(match.slug),
    title: statusTitle(match.status),
    status: match.status,
    detail: match.detail,
  });
}
