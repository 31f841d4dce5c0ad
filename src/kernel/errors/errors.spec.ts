import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { canonicalJson } from '../idempotency/idempotency.interceptor.js';
import { toErrorBody } from './all-exceptions.filter.js';
import { Conflict, NotAllowed, NotFound, RuleViolation, Unauthenticated } from './domain-errors.js';

describe('error mapping (SPEC §4)', () => {
  it.each([
    [new Unauthenticated('no'), 401, 'Unauthorized'],
    [new NotAllowed('no'), 403, 'Forbidden'],
    [new NotFound('order', 'x'), 404, 'Not Found'],
    [new Conflict('no', { status: 'paid' }), 409, 'Conflict'],
    [new RuleViolation('no'), 422, 'Unprocessable Entity'],
    [new NotFoundException(), 404, 'Not Found'],
  ])('maps %p to %i', (err, status, error) => {
    expect(toErrorBody(err)).toMatchObject({ statusCode: status, error });
  });

  it('keeps details and never leaks internals of unknown errors', () => {
    expect(toErrorBody(new Conflict('busy', { status: 'paid' })).details).toEqual({ status: 'paid' });
    expect(toErrorBody(new Error('password=secret at db.ts:12'))).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
  });

  it('maps Fastify body errors to 4xx', () => {
    expect(toErrorBody({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'x' })).toMatchObject({ statusCode: 413 });
    expect(toErrorBody({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'x' })).toMatchObject({ statusCode: 415 });
    expect(toErrorBody(new BadRequestException(['a must be a string']))).toMatchObject({ statusCode: 400, details: ['a must be a string'] });
  });

  it('reads the code of a Fastify error the adapter wrapped in an HttpException', () => {
    const fastifyError = Object.assign(new Error('Unsupported Media Type'), { name: 'FastifyError', code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });
    const wrapped = new HttpException(fastifyError.message, 415, { cause: fastifyError });
    expect(toErrorBody(wrapped)).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: 'Unsupported content type; send application/json' });
  });
});

describe('canonicalJson', () => {
  it('ignores key order but not values', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});
