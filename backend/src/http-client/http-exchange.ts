import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP exchange with a remote API (amoCRM, LPTracker), below retries and limits: keep-alive sockets, a hard
 * timeout, bounded bodies.
 */

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Called once when the request goes on the wire: at once on a kept-alive socket, after connecting otherwise. */
  onDispatch?: () => void;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** No usable answer: `sent` tells whether the request may have reached the remote side (matters for writes). */
export class HttpNetworkError extends Error {
  constructor(
    readonly kind: 'timeout' | 'connection',
    readonly sent: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'HttpNetworkError';
  }
}

/** API answers are small; anything this large is not an answer we can use. */
const MAX_ANSWER_BYTES = 20 * 1024 * 1024;

const agentOptions = {
  keepAlive: true,
  keepAliveMsecs: 1000,
  maxSockets: 32,
  maxFreeSockets: 8,
  timeout: 60_000,
};
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

export function sendHttp(call: HttpCall): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      reject(new HttpNetworkError('connection', false, 'invalid URL'));
      return;
    }
    const secure = url.protocol === 'https:';
    const body = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8');
    let sent = false;
    let settled = false;
    const fail = (error: HttpNetworkError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const request = (secure ? https : http).request(
      url,
      {
        method: call.method,
        agent: secure ? httpsAgent : httpAgent,
        headers: { ...call.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            fail(new HttpNetworkError('connection', true, 'the answer is too large'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', (error) => fail(new HttpNetworkError('connection', true, error.message)));
        response.on('aborted', () =>
          fail(new HttpNetworkError('connection', true, 'the answer was cut off')),
        );
      },
    );
    const timer = setTimeout(
      () => fail(new HttpNetworkError('timeout', sent, `no answer within ${call.timeoutMs} ms`)),
      call.timeoutMs,
    );
    request.once('socket', (socket) => {
      if (!call.onDispatch) return;
      const dispatch = call.onDispatch;
      if (socket.connecting) socket.once(secure ? 'secureConnect' : 'connect', dispatch);
      else dispatch();
    });
    request.on('finish', () => {
      sent = true;
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // Refused, or reset on a kept-alive socket the server had already closed: the request never arrived.
      const neverArrived =
        error.code === 'ECONNREFUSED' || (request.reusedSocket && error.code === 'ECONNRESET');
      fail(new HttpNetworkError('connection', sent && !neverArrived, error.code ?? error.message));
    });
    request.end(body);
  });
}

/** The first value of a header. */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
