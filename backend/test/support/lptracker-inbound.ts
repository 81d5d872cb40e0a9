import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LpAccountCredentials, LpTrackerSandbox } from '../../sandbox/lptracker';
import { call, type JsonResponse } from './http';

/** A customer's own callback receiver: answers 200 and counts what LPTracker posted to it. */
export interface CustomerHook {
  url: string;
  received: string[];
  close(): Promise<void>;
}

export async function startCustomerHook(): Promise<CustomerHook> {
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/customer-hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Registers a callback in LPTracker as another integration would (its own login service and entry name). */
export async function registerCustomerCallback(
  sandbox: LpTrackerSandbox,
  account: LpAccountCredentials,
  projectId: number,
  url: string,
): Promise<void> {
  const login = await call(`${sandbox.url}/login`, {
    method: 'POST',
    body: { login: account.login, password: account.password, service: 'Customer website', version: '1.0' },
  });
  const token = (login.body as { result?: { token?: string } }).result?.token;
  if (!token) throw new Error(`sandbox login failed: ${JSON.stringify(login.body)}`);
  const res = await fetch(`${sandbox.url}/project/${projectId}/callback-url`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', token },
    body: JSON.stringify({ url, name: 'Customer website' }),
  });
  const body = (await res.json()) as { status?: string };
  if (body.status !== 'success') throw new Error(`callback registration failed: ${JSON.stringify(body)}`);
}

/** The callback URLs LPTracker keeps for a project, as our service sees them. */
export function lptrackerWebhook(tUrl: string, token: string, method = 'GET'): Promise<JsonResponse> {
  return call(`${tUrl}/api/v1/connections/lptracker/webhook`, { method, token });
}
