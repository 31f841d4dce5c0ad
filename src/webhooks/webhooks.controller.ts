import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../kernel/auth/decorators.js';
import type { WebhookAckDto } from './dto.js';
import type { Headers as RequestHeaders } from './platforms/platform-adapter.js';
import { WebhookInboxService } from './webhook-inbox.service.js';

/** Inbound order webhooks of shop platforms (docs/webhooks.md); they sign instead of logging in. */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly inbox: WebhookInboxService) {}

  @Post(':platform/:shopId')
  @HttpCode(200)
  receive(@Param('platform') platform: string, @Param('shopId') shopId: string, @Headers() headers: RequestHeaders, @Req() req: RawBodyRequest<FastifyRequest>): Promise<WebhookAckDto> {
    return this.inbox.receive(platform, shopId, headers, req.rawBody);
  }
}
