import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BEARER, finishDocument, type FinishResult } from './finish-document.js';
import { collectRoutes } from './routes.js';

const DESCRIPTION = [
  'Shop after-sales procedures as executable state machines. The admin API is under /api/v1 (bearer token from',
  '`POST /api/v1/auth/login`); shop platforms and carriers deliver signed webhooks under /webhooks.',
  '',
  'Every error is `ErrorResponse` `{statusCode, error, message, details?}`; invalid input lists its fields in `details`.',
  'Lists take `limit` (at most 100) and an opaque `cursor`. Admin POSTs honour `Idempotency-Key`. Money is in integer',
  'minor units of the order currency; times are ISO 8601. `GET /api/v1/meta/state-machines` describes every procedure,',
  'its actions and the JSON Schema of each action\'s body.',
].join('\n');

/**
 * The service's OpenAPI document: what @nestjs/swagger reads from the controllers and DTOs,
 * completed by `finishDocument`. Needs the application's module graph only (a preview-mode app
 * will do: no database), so `npm run lint:api` and the client generation build it the same way.
 */
export function buildOpenApiDocument(app: INestApplication, serverUrl: string | null): FinishResult {
  const raw = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('After-sales operations service')
      .setDescription(DESCRIPTION)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The accessToken of POST /api/v1/auth/login' }, BEARER)
      .build(),
  );
  return finishDocument(raw, collectRoutes(app), { serverUrl });
}
