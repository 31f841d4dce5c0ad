import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { redactForReplay } from '../idempotency/replay-redaction.js';
import { redactSecrets, scrubText, serializeErrorForLog } from './redact.js';

describe('serializeErrorForLog', () => {
  it('keeps what explains a failed statement and drops its parameters, driver error and row detail', () => {
    const driverError = Object.assign(new Error('value too long for type character varying(10)'), {
      code: '22001',
      detail: 'Failing row contains (1, shop, whsec_abcdefabcdef, salt-123)',
      table: 'shops',
    });
    const err = new QueryFailedError('UPDATE "shops" SET "webhook_secret" = $1 WHERE "id" = $2', ['whsec_abcdefabcdef', 'x'], driverError);
    const out = serializeErrorForLog(err) as Record<string, unknown>;
    expect(out).toMatchObject({ type: 'QueryFailedError', code: '22001', table: 'shops', query: 'UPDATE "shops" SET "webhook_secret" = $1 WHERE "id" = $2' });
    expect(out.message).toContain('value too long');
    expect(out).not.toHaveProperty('parameters');
    expect(out).not.toHaveProperty('driverError');
    expect(out).not.toHaveProperty('detail');
    expect(JSON.stringify(out)).not.toContain('abcdefabcdef');
    expect(JSON.stringify(out)).not.toContain('salt-123');
  });

  it('leaves out the request configuration (headers with tokens) and redacts secret-named properties', () => {
    const err = Object.assign(new Error('Request failed with status code 500'), {
      code: 'ERR_BAD_RESPONSE',
      config: { headers: { 'X-Shopify-Access-Token': 'shpat_123' } },
      accessToken: 'tok',
    });
    const out = serializeErrorForLog(err) as Record<string, unknown>;
    expect(out).not.toHaveProperty('config');
    expect(out.accessToken).toBe('[REDACTED]');
    expect(out.code).toBe('ERR_BAD_RESPONSE');
  });
});

describe('redactSecrets', () => {
  it('redacts secret-named keys at any depth, whatever their spelling, and keeps the rest', () => {
    const out = redactSecrets({ a: { webhook_secret: 's', Tracking_Salt: 't', list: [{ Authorization: 'Bearer x' }] }, hasAccessToken: true, name: 'n' });
    expect(out).toEqual({ a: { webhook_secret: '[REDACTED]', Tracking_Salt: '[REDACTED]', list: [{ Authorization: '[REDACTED]' }] }, hasAccessToken: true, name: 'n' });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactSecrets(a)).toEqual({ name: 'a', self: '[Circular]' });
  });
});

describe('scrubText', () => {
  it.each([
    ['endpoint secret whsec_AbCdEf0123456789 set', 'whsec_[REDACTED]'],
    ['hash scrypt$16384$8$1$c2FsdA$aGFzaA stored', 'scrypt$[REDACTED]'],
    ['header Bearer abcdefghijkl', 'Bearer [REDACTED]'],
    ['postgres://app:hunter22@db:5432/x', 'postgres://app:[REDACTED]@db'],
    ['/cb?token=abc123&x=1', 'token=[REDACTED]&x=1'],
  ])('%s', (text, expected) => {
    expect(scrubText(text)).toContain(expected);
  });
});

describe('redactForReplay', () => {
  it('nulls secret fields and names their paths; other fields are kept as JSON', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    expect(redactForReplay({ id: '1', secret: 'whsec_x', createdAt: at, nested: { token: 't', keep: 1 } })).toEqual({
      body: { id: '1', secret: null, createdAt: at.toISOString(), nested: { token: null, keep: 1 } },
      redacted: ['secret', 'nested.token'],
    });
  });

  it('leaves a response without secrets as it is', () => {
    expect(redactForReplay({ id: '1', hasTrackingSalt: true })).toEqual({ body: { id: '1', hasTrackingSalt: true }, redacted: [] });
    expect(redactForReplay(undefined)).toEqual({ body: null, redacted: [] });
  });
});
