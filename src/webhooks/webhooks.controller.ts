import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../kernel/auth/decorators.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';
import { WebhookAckDto } from './dto.js';
import type { Headers as RequestHeaders } from './platforms/platform-adapter.js';
import { WebhookInboxService } from './webhook-inbox.service.js';

/** Inbound order webhooks of shop platforms (docs/webhooks.md); they sign instead of logging in. */
@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly inbox: WebhookInboxService) {}

  @Post(':platform/:shopId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'An order webhook of a shop platform, signed with the shop\'s webhookSecret over the raw body (docs/webhooks.md)',
    description:
      'Send the header of your platform: Shopify `X-Shopify-Hmac-Sha256` (+ `X-Shopify-Topic`), WooCommerce `X-WC-Webhook-Signature` ' +
      '(+ `X-WC-Webhook-Topic`), the generic format `X-Signature`. The body is read as bytes whatever its Content-Type.',
  })
  @ApiParam({ name: 'platform', enum: ['shopify', 'woocommerce', 'generic'], description: 'The shop\'s platform' })
  @ApiParam({ name: 'shopId', format: 'uuid', description: 'The shop (its webhookPath names it)' })
  @ApiHeader({ name: 'X-Shopify-Hmac-Sha256', required: false, description: 'Shopify: base64 HMAC-SHA256 of the raw body with the webhook secret' })
  @ApiHeader({ name: 'X-Shopify-Topic', required: false, description: 'Shopify: the topic, e.g. orders/create' })
  @ApiHeader({ name: 'X-WC-Webhook-Signature', required: false, description: 'WooCommerce: base64 HMAC-SHA256 of the raw body with the webhook secret' })
  @ApiHeader({ name: 'X-WC-Webhook-Topic', required: false, description: 'WooCommerce: the topic, e.g. order.created' })
  @ApiHeader({ name: 'X-Signature', required: false, description: 'Generic format: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the webhook secret; 5 minutes of clock skew at most' })
  @ApiConsumes('application/json')
  @ApiBody({
    description: 'The platform\'s order payload as it sends it; the generic format is {id, topic, occurredAt, data}',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse({ type: WebhookAckDto, description: 'Stored (or a duplicate of a stored delivery): processed in the background' })
  @ApiErrors({ 400: 'An authentic delivery without a topic or delivery id, or a generic envelope that is not {id, topic, occurredAt, data}', 404: 'Unknown platform' })
  receive(@Param('platform') platform: string, @Param('shopId') shopId: string, @Headers() headers: RequestHeaders, @Req() req: RawBodyRequest<FastifyRequest>): Promise<WebhookAckDto> {
    return this.inbox.receive(platform, shopId, headers, req.rawBody);
  }
}
