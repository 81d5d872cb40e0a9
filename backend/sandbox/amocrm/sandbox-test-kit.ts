import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Helpers for tests that talk to the sandbox over real HTTP: a small fetch wrapper and a local
 * receiver that records outgoing webhooks.
 */

// Test assertions walk arbitrary JSON answers; a loose type keeps them readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export interface AmoCallResult {
  status: number;
  headers: Headers;
  text: string;
  json: LooseJson;
}

export interface AmoCallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls `<baseUrl><path>` and reads the whole answer (JSON parsed when it is JSON). */
export async function callAmo(
  baseUrl: string,
  method: string,
  path: string,
  options: AmoCallOptions = {},
): Promise<AmoCallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const json: unknown = text && contentType.includes('json') ? (JSON.parse(text) as unknown) : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Decoded form pairs in the order sent. */
  pairs: [string, string][];
  /** Decoded form fields by their full bracketed key. */
  fields: Record<string, string>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status answered to every webhook (default 200). */
  respondWith(status: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  let waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const pairs = [...new URLSearchParams(body)];
      received.push({
        path: req.url ?? '/',
        headers: req.headers,
        body,
        pairs,
        fields: Object.fromEntries(pairs),
      });
      res.statusCode = status;
      res.end('ok');
      const pending = waiters;
      waiters = [];
      for (const wake of pending) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith: (next) => {
      status = next;
    },
    waitFor: async (count, timeoutMs = 3_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} webhooks, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
