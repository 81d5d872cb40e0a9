import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FormParseError, parseNestedForm } from '../../src/http/nested-form';

import { httpProblem, ProblemError } from './problems';

export const HAL_JSON = 'application/hal+json';
export const PROBLEM_JSON = 'application/problem+json';
export const PLAIN_JSON = 'application/json';

/** The HTML page nginx answers with (403 when an account is blocked, 502/503/504 from the edge). */
export function nginxErrorPage(status: number, title: string): string {
  return (
    `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1>` +
    '</center><hr><center>nginx</center></body></html>'
  );
}

/** One request and its response: bounded body reading and the sandbox's response kinds. */
export class HttpExchange {
  readonly requestId = randomBytes(16).toString('hex');
  readonly startedAt = Date.now();
  readonly url: URL;
  private sentStatus: number | undefined;
  private readonly completionListeners: ((status: number) => void)[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    this.url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  }

  get method(): string {
    return (this.req.method ?? 'GET').toUpperCase();
  }

  /** Path and query as the client sent them. */
  get target(): string {
    return this.req.url ?? '/';
  }

  /** The status answered, 0 for a dropped connection, undefined while pending. */
  get status(): number | undefined {
    return this.sentStatus;
  }

  get answered(): boolean {
    return this.sentStatus !== undefined;
  }

  /** Called synchronously when the answer is written (before the client can see it). */
  onComplete(listener: (status: number) => void): void {
    this.completionListeners.push(listener);
  }

  /** Reads the whole body; beyond `maxBytes` answers 413 and discards the rest of the upload. */
  readBody(maxBytes: number): Promise<Buffer> {
    const tooLarge = httpProblem(413, `Request body exceeds ${maxBytes} bytes`);
    if (Number(this.req.headers['content-length'] ?? '0') > maxBytes) {
      this.req.resume();
      return Promise.reject(tooLarge);
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size <= maxBytes) {
          chunks.push(chunk);
          return;
        }
        this.req.off('data', onData);
        this.req.resume();
        reject(tooLarge);
      };
      this.req.on('data', onData);
      this.req.once('end', () => resolve(Buffer.concat(chunks)));
      this.req.once('error', reject);
    });
  }

  /** Parses a JSON or form body; `undefined` when the body is empty. */
  async readPayload(maxBytes: number): Promise<unknown> {
    const raw = (await this.readBody(maxBytes)).toString('utf8');
    if (raw.trim() === '') return undefined;
    const contentType = String(this.req.headers['content-type'] ?? '');
    if (contentType.includes('application/x-www-form-urlencoded')) {
      // the service's own form parser, read as PHP does: nested keys, keyed groups, bad keys dropped
      try {
        return parseNestedForm(raw, { arrays: false, skipBadKeys: true, maxBytes });
      } catch (error) {
        if (error instanceof FormParseError) throw httpProblem(400, `Unreadable form body: ${error.message}`);
        throw error;
      }
    }
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw httpProblem(400, 'Request body is not valid JSON');
    }
  }

  send(
    status: number,
    contentType: string | undefined,
    body?: string,
    headers: Record<string, string> = {},
  ): void {
    if (this.answered) return;
    this.complete(status);
    this.res.statusCode = status;
    this.res.setHeader('X-Request-Id', this.requestId);
    for (const [name, value] of Object.entries(headers)) this.res.setHeader(name, value);
    if (body === undefined) {
      this.res.end();
      return;
    }
    if (contentType) this.res.setHeader('Content-Type', contentType);
    this.res.setHeader('Content-Length', Buffer.byteLength(body));
    this.res.end(body);
  }

  sendJson(status: number, data: unknown, contentType = HAL_JSON): void {
    this.send(status, contentType, JSON.stringify(data));
  }

  sendProblem(error: ProblemError): void {
    this.send(error.status, PROBLEM_JSON, JSON.stringify(error.body));
  }

  sendHtml(status: number, html: string): void {
    this.send(status, 'text/html', html);
  }

  sendEmpty(status = 204): void {
    this.send(status, undefined);
  }

  redirect(location: string): void {
    this.send(302, undefined, undefined, { Location: location });
  }

  /** Closes the connection without any answer (a network failure for the client). */
  drop(): void {
    if (this.answered) return;
    this.complete(0);
    this.req.socket.destroy();
  }

  private complete(status: number): void {
    this.sentStatus = status;
    for (const listener of this.completionListeners) listener(status);
  }
}
