import { Controller, Header, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../kernel/auth/decorators.js';
import { ApiErrors } from '../../kernel/openapi/api-errors.decorator.js';
import { CarrierWebhooksService, type PushReceipt, PushReceiptDto, toPushReceipt } from './carrier-webhooks.service.js';
import { KUAIDI100_OK } from './kuaidi100.js';

type RawRequest = FastifyRequest & { rawBody?: Buffer };

/** Carrier tracking pushes (SPEC §6); they verify their own signature with the shop's tracking salt. */
@ApiTags('webhooks')
@Public()
@Controller('webhooks/carriers')
export class CarrierWebhooksController {
  constructor(private readonly pushes: CarrierWebhooksService) {}

  @Post('kuaidi100/:shopId')
  @HttpCode(200)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    description: 'The form Kuaidi100 posts, read from the raw bytes whatever its Content-Type; signed by `sign`, not by a header',
    schema: {
      type: 'object',
      required: ['param', 'sign'],
      properties: {
        param: { type: 'string', description: 'The push as JSON' },
        sign: { type: 'string', pattern: '^[0-9A-Fa-f]{32}$', description: 'Upper-case hex MD5 of param + the shop\'s tracking salt' },
      },
    },
  })
  @ApiOperation({ summary: 'Kuaidi100 subscription callback: form fields param (JSON) and sign = upper-case MD5(param + salt)' })
  @ApiOkResponse({
    description: 'Exactly {"result": true, "returnCode": "200", "message": "ok"}',
    schema: {
      type: 'object',
      required: ['result', 'returnCode', 'message'],
      properties: { result: { type: 'boolean', enum: [true] }, returnCode: { type: 'string', enum: ['200'] }, message: { type: 'string', enum: ['ok'] } },
    },
  })
  @ApiErrors({ 401: 'Missing or bad sign, an unknown shop, or a shop without a tracking salt' })
  async kuaidi100(@Param('shopId') shopId: string, @Req() req: RawRequest): Promise<string> {
    await this.pushes.kuaidi100(shopId, req.rawBody);
    return KUAIDI100_OK;
  }

  @Post('generic/:shopId')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Signature', required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the shop tracking salt' })
  @ApiOperation({ summary: 'Generic signed JSON tracking push {id, topic, occurredAt, data: {carrier, trackingNo, events}}' })
  @ApiConsumes('application/json')
  @ApiBody({ description: 'Read from the raw bytes whatever its Content-Type (docs/carriers.md)', schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ type: PushReceiptDto, description: 'What the push did' })
  @ApiErrors({ 401: 'Missing or bad X-Signature, an unknown shop, or a shop without a tracking salt' })
  async generic(@Param('shopId') shopId: string, @Headers('x-signature') signature: string | undefined, @Req() req: RawRequest): Promise<PushReceipt> {
    return toPushReceipt(await this.pushes.generic(shopId, req.rawBody, signature));
  }
}
