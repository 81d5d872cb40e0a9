import { HttpStatus } from '@nestjs/common';
import { ConflictProblem, ProblemException } from '../http/problem';

/** Unknown source, unknown or rotated secret: the same answer, so secrets cannot be probed. */
export class WebhookNotFoundProblem extends ProblemException {
  constructor() {
    super(HttpStatus.NOT_FOUND, { type: 'not-found', detail: 'There is no webhook at this address.' });
  }
}

/** The body is not something this source sends; nothing was stored. */
export class WebhookBadRequestProblem extends ProblemException {
  constructor(reason: 'unsupported_content_type' | 'malformed_body', detail: string) {
    super(HttpStatus.BAD_REQUEST, {
      type: reason === 'unsupported_content_type' ? 'unsupported-content-type' : 'malformed-webhook',
      detail,
    });
  }
}

/** A readable delivery with more entity changes than one webhook may carry; nothing was stored. */
export class WebhookTooManyChangesProblem extends ProblemException {
  constructor(detail: string) {
    super(HttpStatus.PAYLOAD_TOO_LARGE, { type: 'too-many-changes', detail });
  }
}

/** The secret matched, but the delivery is from another account than the workspace's connection. */
export class WebhookRejectedProblem extends ProblemException {
  constructor(reason: string, detail: string) {
    super(HttpStatus.FORBIDDEN, { type: reason.replace(/_/g, '-'), detail });
  }
}

export class EventNotReplayableProblem extends ConflictProblem {
  constructor(detail: string) {
    super(detail, 'event-not-replayable');
  }
}

export class EventNotDismissableProblem extends ConflictProblem {
  constructor(detail: string) {
    super(detail, 'event-not-dismissable');
  }
}
