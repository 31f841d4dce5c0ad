/**
 * Typed domain errors. Services throw these; only the exception filter knows HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** When set, the answer carries `Retry-After` (seconds): a lease or a lockout that ends then. */
  retryAfterSeconds?: number;
  constructor(message: string, readonly details?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or fails validation. */
export class InvalidInput extends DomainError {
  readonly status = 400;
}
/** 401: no or bad credentials or signature. */
export class Unauthenticated extends DomainError {
  readonly status = 401;
}
/** 403: the caller's role may not do this. */
export class NotAllowed extends DomainError {
  readonly status = 403;
}
/** 404: does not exist, or belongs to another merchant (indistinguishable on purpose). */
export class NotFound extends DomainError {
  readonly status = 404;
  /** `hint` tells the caller which id to use instead (SPEC §5: an id-shaped mistake says which to use). */
  constructor(what: string, id?: string, hint?: string) {
    super(`${id ? `${what} ${id} not found` : `${what} not found`}${hint ? `: ${hint}` : ''}`);
  }
}
/** 409: version conflict, or an action not allowed from the current status. */
export class Conflict extends DomainError {
  readonly status = 409;
}
/** 422: a business rule refused the request. */
export class RuleViolation extends DomainError {
  readonly status = 422;
}
/** 413: an uploaded file or the request is larger than allowed. */
export class PayloadTooLarge extends DomainError {
  readonly status = 413;
}
/** 415: the content is not of a type this endpoint accepts (judged by content, not by name). */
export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
}
/** 429: too many attempts (a login lockout); `retryAfterSeconds` says when to try again. */
export class TooManyRequests extends DomainError {
  readonly status = 429;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
