import { createServer, type Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HealthService } from '../health/health.service';
import { metricsRefusal } from '../health/metrics-access';
import { MetricsService } from '../health/metrics.service';
import { readinessBody } from '../health/readiness-body';
import { PROBLEM_CONTENT_TYPE, problemType, statusTitle } from '../http/problem';
import { SECURITY_HEADERS } from '../http/security-headers';

/**
 * A worker serves no REST routes: only liveness, readiness and metrics, for orchestrators and Prometheus.
 */
export function startWorkerHealthServer(app: INestApplicationContext, port: number): Promise<Server> {
  const health = app.get(HealthService);
  const metrics = app.get(MetricsService);
  const metricsToken = app.get(AppConfig).metricsToken;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (
      status: number,
      contentType: string,
      body: string,
      headers: Record<string, string> = {},
    ): void => {
      res
        .writeHead(status, {
          ...SECURITY_HEADERS,
          ...headers,
          'Content-Type': contentType,
          'Cache-Control': 'no-store',
        })
        .end(body);
    };
    const refusal = path === '/metrics' ? metricsRefusal(req, metricsToken) : null;
    const handle = async (): Promise<void> => {
      if (req.method === 'GET' && path === '/health/live') {
        reply(200, 'application/json', JSON.stringify({ status: 'ok', role: 'worker' }));
      } else if (req.method === 'GET' && path === '/health/ready') {
        const { status, contentType, body } = readinessBody(await health.readiness());
        reply(status, contentType, JSON.stringify(body));
      } else if (req.method === 'GET' && refusal) {
        const { status, type, detail, headers } = refusal;
        const body = { type: problemType(type), title: statusTitle(status), status, detail, instance: path };
        reply(status, PROBLEM_CONTENT_TYPE, JSON.stringify(body), headers);
      } else if (req.method === 'GET' && path === '/metrics') {
        const { contentType, body } = await metrics.render();
        reply(200, contentType, body);
      } else {
        reply(
          404,
          PROBLEM_CONTENT_TYPE,
          JSON.stringify({
            type: problemType('not-found'),
            title: 'Not Found',
            status: 404,
            detail: 'This is a worker process: it serves only /health/live, /health/ready and /metrics.',
          }),
        );
      }
    };
    handle().catch(() =>
      reply(
        500,
        PROBLEM_CONTENT_TYPE,
        JSON.stringify({
          type: 'about:blank',
          title: 'Internal Server Error',
          status: 500,
          detail: 'health check failed',
        }),
      ),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
