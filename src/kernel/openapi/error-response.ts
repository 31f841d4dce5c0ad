import type { ResponseObject, SchemaObject } from '@nestjs/swagger';
import { reasonPhrase } from '../errors/all-exceptions.filter.js';

export const ERROR_SCHEMA = 'ErrorResponse';
export const FIELD_ERROR_SCHEMA = 'FieldError';
export const ERROR_REF = `#/components/schemas/${ERROR_SCHEMA}`;

/** The one error body of SPEC §4, as written by AllExceptionsFilter (`toErrorBody`). */
export const ERROR_SCHEMAS: Record<string, SchemaObject> = {
  [FIELD_ERROR_SCHEMA]: {
    type: 'object',
    description: 'What is wrong with one field of the request (a dotted path into the body, a query or path parameter, or a header)',
    required: ['field', 'errors'],
    properties: {
      field: { type: 'string', example: 'lines.0.quantity' },
      errors: { type: 'array', items: { type: 'string' }, example: ['quantity must be a positive integer'] },
    },
  },
  [ERROR_SCHEMA]: {
    type: 'object',
    description: 'Every 4xx and 5xx answer of the service (SPEC §4)',
    required: ['statusCode', 'error', 'message'],
    properties: {
      statusCode: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status again', example: 400 },
      error: { type: 'string', description: 'Its reason phrase', example: 'Bad Request' },
      message: { type: 'string', description: 'What went wrong, for a person; names the field, status or rule', example: 'Validation failed' },
      details: {
        description:
          'Field by field for invalid input (400); otherwise facts about the refusal, e.g. `{status, version}` of a version conflict, ' +
          '`{status, action}` of a refused action, the candidates of an ambiguous reference',
        oneOf: [{ type: 'array', items: { $ref: `#/components/schemas/${FIELD_ERROR_SCHEMA}` } }, { type: 'object', additionalProperties: true }],
      },
    },
  },
};

/** Default meaning and an example of each error status the service answers. */
const DEFAULTS: Record<number, { description: string; message: string; details?: unknown }> = {
  400: {
    description: 'Malformed or invalid input: bad JSON, an unknown or invalid field (listed field by field in `details`), a bad Idempotency-Key',
    message: 'Validation failed',
    details: [{ field: 'reason', errors: ['reason is required'] }],
  },
  401: { description: 'No bearer token, or an invalid or expired one', message: 'Missing or invalid bearer token' },
  403: { description: 'The caller\'s role may not do this (the message names the roles that may)', message: 'Role agent may not do this; allowed: admin' },
  404: {
    description: 'Unknown id, or another merchant\'s (indistinguishable on purpose); a non-uuid id says where to find one',
    message: 'return 0b9f7c2e-4d1a-4c3e-9f8a-2b6d5e7a1c90 not found',
  },
  409: {
    description:
      'A version conflict, an action not allowed from the current status (the message names the status and the allowed actions), ' +
      'or a request with the same Idempotency-Key still in progress (with Retry-After)',
    message: 'return 0b9f7c2e-4d1a-4c3e-9f8a-2b6d5e7a1c90 was changed by someone else; reload and retry',
    details: { status: 'approved', version: 3 },
  },
  413: { description: 'The request body (or an uploaded file) is larger than allowed', message: 'Request body is larger than the allowed limit' },
  415: { description: 'A Content-Type this route does not take', message: 'Content-Type text/plain is not supported; send application/json' },
  422: {
    description: 'A business rule refused the request (the message names it), or an Idempotency-Key reused with a different request',
    message: 'Refunds of the order would exceed what was paid',
  },
  429: { description: 'Too many requests; retry after `Retry-After` seconds', message: 'Rate limit exceeded: at most 600 requests per 1 minute; retry later' },
};

export const ERROR_STATUSES = Object.keys(DEFAULTS).map(Number);

export function defaultErrorDescription(status: number): string {
  return DEFAULTS[status]?.description ?? reasonPhrase(status);
}

/** Name of the shared response component of a status (`#/components/responses/<name>`). */
export function errorResponseName(status: number): string {
  return reasonPhrase(status).replace(/[^A-Za-z]/g, '');
}

const RETRY_AFTER = { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } };

/** A response of `status` with the shared error body, its example and (409, 429) the Retry-After header. */
export function errorResponse(status: number, description = defaultErrorDescription(status)): ResponseObject {
  const d = DEFAULTS[status];
  const example = { statusCode: status, error: reasonPhrase(status), message: d?.message ?? reasonPhrase(status), ...(d?.details !== undefined ? { details: d.details } : {}) };
  return {
    description,
    ...(status === 409 || status === 429 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    content: { 'application/json': { schema: { $ref: ERROR_REF }, example } },
  };
}
