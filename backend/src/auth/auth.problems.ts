import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../http/problem';

export class UnauthorizedProblem extends ProblemException {
  constructor(detail = 'Log in, or send a valid API key in X-Api-Key.', type = 'unauthorized') {
    super(HttpStatus.UNAUTHORIZED, { type, detail });
  }
}

export class InvalidCredentialsProblem extends UnauthorizedProblem {
  constructor() {
    super('The e-mail or the password is wrong.', 'invalid-credentials');
  }
}

export class LoginLockedProblem extends ProblemException {
  constructor(retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, {
      type: 'login-locked',
      detail: `Too many failed attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} min.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
      extensions: { retryAfterSeconds },
    });
  }
}

/** Both a bearer token and an API key: which one should act is not for the server to guess. */
export class AmbiguousCredentialsProblem extends ProblemException {
  constructor() {
    super(HttpStatus.BAD_REQUEST, {
      type: 'ambiguous-credentials',
      detail: 'Send either a bearer token or an X-Api-Key header, not both.',
    });
  }
}

export class ForbiddenProblem extends ProblemException {
  constructor(detail = 'Your role does not allow this.') {
    super(HttpStatus.FORBIDDEN, { type: 'forbidden', detail });
  }
}

/** The workspace was turned off by the platform super-admin: its users, sessions and API keys are refused. */
export class WorkspaceDisabledProblem extends ProblemException {
  constructor() {
    super(HttpStatus.FORBIDDEN, {
      type: 'workspace-disabled',
      detail:
        'This workspace has been turned off by the platform administrator. Ask them to turn it on again; ' +
        'nothing sent to it meanwhile is lost.',
    });
  }
}
