/**
 * Domain errors carry a stable, namespaced code (`entry.notFound`, `file.versionConflict`).
 * One table (`problemFor` in shared/http/problem.ts) maps codes to HTTP status and a Chinese
 * title; nothing else decides status codes (docs/architecture.md §9 and §12 "one error mapper").
 */
export type ErrorKind =
  | 'validation' // 400 / 422: the request is malformed or breaks a schema
  | 'unauthenticated' // 401
  | 'forbidden' // 403: the caller may know the record exists but may not do this
  | 'notFound' // 404: no such record, or the caller may not even know it exists
  | 'conflict' // 409: version mismatch, duplicate, wrong state
  | 'preconditionRequired' // 428: update without If-Match
  | 'unsupportedMediaType' // 415
  | 'payloadTooLarge' // 413
  | 'unavailable'; // 503: a dependency (e.g. the audit store) failed; fail closed

export interface FieldIssue {
  /** JSON pointer-ish path, e.g. `body.content.title` */
  path: string;
  /** Chinese message for people */
  message: string;
  /** machine code from the validator */
  code?: string;
}

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  /** Chinese explanation safe to show to the caller */
  readonly detail: string;
  readonly issues: FieldIssue[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, code: string, detail: string, opts: { issues?: FieldIssue[]; extra?: Record<string, unknown>; cause?: unknown } = {}) {
    super(`${code}: ${detail}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.detail = detail;
    this.issues = opts.issues;
    this.extra = opts.extra;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** `match('entry.')(err)` — true when err is a DomainError whose code starts with the prefix. */
export const matchCode =
  (prefix: string) =>
  (e: unknown): e is DomainError =>
    isDomainError(e) && e.code.startsWith(prefix);

export const validationError = (code: string, detail: string, issues?: FieldIssue[]) => new DomainError('validation', code, detail, issues ? { issues } : {});
export const notFound = (code: string, detail = '请求的记录不存在或无权访问') => new DomainError('notFound', code, detail);
export const forbidden = (code: string, detail: string) => new DomainError('forbidden', code, detail);
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) => new DomainError('conflict', code, detail, extra ? { extra } : {});
export const unavailable = (code: string, detail: string, cause?: unknown) => new DomainError('unavailable', code, detail, { cause });

/** A retried create whose Idempotency-Key was seen: the stored response is replayed, nothing is written. */
export class IdempotentReplay extends Error {
  constructor(readonly response: unknown) {
    super('idempotent replay');
    this.name = 'IdempotentReplay';
  }
}

/** If-Match against the record read: a stale ETag is a 409 naming the current version. */
export const requireVersion = (current: { version: number }, ifMatch: string | undefined, code: string, detail: string) => {
  if (ifMatch !== undefined && ifMatch !== String(current.version)) throw conflict(code, detail, { currentVersion: current.version });
};
