/**
 * LPTracker's answers: `{status:"success", result}` or `{status:"error", errors:[{code, message}]}`,
 * the error usually with HTTP 200.
 */

export interface LpErrorItem {
  code: number;
  message: string;
}

export interface LpErrorEnvelope {
  status: 'error';
  errors: LpErrorItem[];
}

export interface LpSuccessEnvelope {
  status: 'success';
  result: unknown;
}

/** Thrown by handlers; answered as the error envelope (HTTP 200 unless `httpStatus` says otherwise). */
export class LpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 200,
  ) {
    super(message);
  }

  get envelope(): LpErrorEnvelope {
    return { status: 'error', errors: [{ code: this.code, message: this.message }] };
  }
}

export function success(result: unknown): LpSuccessEnvelope {
  return { status: 'success', result };
}

export const badRequest = (message: string): LpError => new LpError(400, message);
export const notFound = (what: string): LpError => new LpError(404, `${what} not found`);
