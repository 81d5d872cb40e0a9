import type { NextFunction, Request, Response } from 'express';

/**
 * The Content-Security-Policy of the console and the API (Swagger UI included). It must stay the same as the one
 * nginx sends (nginx/snippets/security-headers.conf; a test compares them):
 * - style-src 'unsafe-inline': Angular and Material set inline styles at run time;
 * - the sha256 + 'unsafe-hashes' allow only the onload="this.media='all'" of Angular's critical-CSS inlining
 *   (turned off in angular.json; this keeps styles working if it is ever turned back on); no other inline script;
 * - fonts (Roboto, Material Icons) are bundled and served from self; images may be data: or blob: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-hashes' 'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Permissions-Policy':
    'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
};

/** Sent only on requests that came over HTTPS (directly, or through a proxy trusted by TRUST_PROXY). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** The REST API answers personal data, tokens and API keys: no cache may keep them. */
const NO_STORE_PREFIX = '/api/v1/';

/**
 * Security headers on every answer Node writes (API, console files, errors), for the `npm start` mode without
 * nginx; behind nginx, nginx hides these and sends its own copy (nginx/snippets/proxy-backend.conf).
 * Handlers that set their own Cache-Control later (e.g. `no-cache` on console files) override the default.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (req.secure) res.setHeader('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  if (req.path.toLowerCase().startsWith(NO_STORE_PREFIX)) res.setHeader('Cache-Control', 'no-store');
  next();
}
