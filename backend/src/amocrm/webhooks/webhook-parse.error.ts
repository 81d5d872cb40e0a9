export type WebhookParseErrorCode =
  | 'too_large'
  | 'too_many_keys'
  | 'too_deep'
  | 'key_too_long'
  | 'malformed_key'
  | 'forbidden_key'
  | 'conflicting_keys';

/** A webhook body that is refused as a whole: too large, too many keys, too deep, or a key that must never be used. */
export class WebhookParseError extends Error {
  constructor(
    readonly code: WebhookParseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookParseError';
  }
}
