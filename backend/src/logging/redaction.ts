/**
 * Log paths never written in clear: credentials in headers and any token, password or secret in a body
 * or a logged object. Pino replaces them with "[redacted]".
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.adminPassword',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.longLivedToken',
  '*.secret',
  '*.apiKey',
  '*.authorization',
  '*.Authorization',
];
