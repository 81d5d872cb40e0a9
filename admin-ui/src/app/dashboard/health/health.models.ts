export type CheckStatus = 'up' | 'down';

/** One dependency in `GET /health/ready`. */
export interface HealthCheck {
  status: CheckStatus;
  latencyMs?: number;
  error?: string;
}

/** `GET /health/ready`: 200 when every check is up, 503 (problem+json with the same `checks`) otherwise. */
export interface ReadinessReport {
  status: string;
  checks: Record<string, HealthCheck>;
}

export function isReadinessReport(body: unknown): body is ReadinessReport {
  return (
    typeof body === 'object' &&
    body !== null &&
    'checks' in body &&
    typeof body.checks === 'object' &&
    body.checks !== null
  );
}
