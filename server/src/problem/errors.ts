/**
 * @module Typed errors thrown anywhere in the server. The app's one `onError` turns each into an
 * RFC 9457 `application/problem+json` response; nothing else writes error bodies.
 */

/** One invalid field: `path` is dotted (`rules.0.clauses.1.op`), `""` for the body itself. */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class ProblemError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Slug for the problem `type` URI. */
  abstract readonly slug: string;
  readonly errors?: FieldError[];
  /** Extra members merged into the problem body (e.g. `current` on a conflict). */
  readonly extra?: Record<string, unknown>;
  /** Extra response headers (e.g. `WWW-Authenticate`). */
  readonly headers?: Record<string, string>;

  constructor(
    detail: string,
    init: { errors?: FieldError[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.errors = init.errors;
    this.extra = init.extra;
    this.headers = init.headers;
  }
}

export class ValidationError extends ProblemError {
  readonly status = 400;
  readonly title = "Invalid request";
  readonly slug = "validation";
  constructor(detail: string, errors: FieldError[] = []) {
    super(detail, { errors });
  }
  /** One bad field. */
  static field(path: string, message: string): ValidationError {
    return new ValidationError(`${path || "body"}: ${message}`, [{ path, message }]);
  }
}

export class MalformedBodyError extends ProblemError {
  readonly status = 400;
  readonly title = "Malformed request body";
  readonly slug = "malformed-body";
}

export class UnauthorizedError extends ProblemError {
  readonly status = 401;
  readonly title = "Unauthorized";
  readonly slug = "unauthorized";
  constructor(detail = "Missing, unknown or revoked credentials.") {
    super(detail, { headers: { "WWW-Authenticate": 'Bearer realm="switchyard"' } });
  }
}

export class ForbiddenError extends ProblemError {
  readonly status = 403;
  readonly title = "Forbidden";
  readonly slug = "forbidden";
}

export class NotFoundError extends ProblemError {
  readonly status = 404;
  readonly title = "Not found";
  readonly slug = "not-found";
}

/** A stale or missing base version, or a duplicate key. `current` carries the state the caller must re-read. */
export class ConflictError extends ProblemError {
  readonly status = 409;
  readonly title = "Conflict";
  readonly slug = "conflict";
  constructor(detail: string, current?: unknown) {
    super(detail, current === undefined ? {} : { extra: { current } });
  }
}

/** A write without the version it was based on (`If-Match` or `version`). */
export class PreconditionRequiredError extends ProblemError {
  readonly status = 428;
  readonly title = "Precondition required";
  readonly slug = "version-required";
  constructor(detail: string, current?: unknown) {
    super(detail, current === undefined ? {} : { extra: { current } });
  }
}

export class PayloadTooLargeError extends ProblemError {
  readonly status = 413;
  readonly title = "Payload too large";
  readonly slug = "payload-too-large";
}

export class UnsupportedMediaTypeError extends ProblemError {
  readonly status = 415;
  readonly title = "Unsupported media type";
  readonly slug = "unsupported-media-type";
}

export class MethodNotAllowedError extends ProblemError {
  readonly status = 405;
  readonly title = "Method not allowed";
  readonly slug = "method-not-allowed";
}

/** A write to an environment under a change freeze (kills and admin overrides excepted). */
export class FrozenError extends ProblemError {
  readonly status = 423;
  readonly title = "Environment frozen";
  readonly slug = "frozen";
  constructor(detail: string, freeze: { environment: string; reason: string; until: string }) {
    super(detail, { extra: { freeze } });
  }
}
