import { Controller, Header, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../kernel/auth/decorators.js';
import { CarrierWebhooksService, type PushReceipt, toPushReceipt } from './carrier-webhooks.service.js';
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
  @ApiBody({ schema: { type: 'object', required: ['param', 'sign'], properties: { param: { type: 'string', description: 'The push as JSON' }, sign: { type: 'string' } } } })
  @ApiOperation({ summary: 'Kuaidi100 subscription callback: form fields param (JSON) and sign = upper-case MD5(param + salt)' })
  @ApiOkResponse({ description: 'Exactly {"result": true, "returnCode": "200", "message": "ok"}' })
  async kuaidi100(@Param('shopId') shopId: string, @Req() req: RawRequest): Promise<string> {
    await this.pushes.kuaidi100(shopId, req.rawBody);
    return KUAIDI100_OK;
  }

  @Post('generic/:shopId')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Signature', description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the shop tracking salt' })
  @ApiOperation({ summary: 'Generic signed JSON tracking push {id, topic, occurredAt, data: {carrier, trackingNo, events}}' })
  @ApiOkResponse({ description: 'What the push did' })
  async generic(@Param('shopId') shopId: string, @Headers('x-signature') signature: string | undefined, @Req() req: RawRequest): Promise<PushReceipt> {
    return toPushReceipt(await this.pushes.generic(shopId, req.rawBody, signature));
  }
}
