import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, type INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

const BACKEND_PREFIXES = ['/api/', '/health/', '/webhooks/', '/metrics'];
/** Angular's hashed build output (main-XXXXXXXX.js, chunk-*, styles-*, media/*), the same rule as nginx's. */
const HASHED_FILE = /-[A-Z0-9]{8}\.(?:js|mjs|css|map|woff2?|ttf|otf|eot|svg|png|jpe?g|gif|webp|avif|ico)$/;

/** Local one-command mode: the backend serves the built console, with SPA fallback to index.html. */
export function serveConsole(app: INestApplication, dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('Console').warn(
      `the console is not built (${index} is missing): run npm run build -w admin-ui`,
    );
    return false;
  }
  app.use(
    express.static(dir, {
      index: false,
      setHeaders: (res, path) =>
        res.setHeader(
          'Cache-Control',
          HASHED_FILE.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    // routes match in any letter case (/METRICS is /metrics): so must this test
    const path = req.path.toLowerCase();
    const isBackendPath = BACKEND_PREFIXES.some(
      (prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix),
    );
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isBackendPath || !req.accepts('html')) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
