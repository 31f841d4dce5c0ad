import { Module } from '@nestjs/common';
import { LogisticsModule } from '../logistics/logistics.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { PlatformReturnsService } from './platform-returns.service.js';
import { ShopifyReturnClient } from './platforms/shopify-return.client.js';
import { WebhookReturnClient } from './platforms/webhook-return.client.js';
import { ReturnDecisionsService } from './return-decisions.service.js';
import { ReturnSettingsController, ReturnsController } from './returns.controller.js';
import { ReturnsRepository } from './returns.repository.js';
import { ReturnsService } from './returns.service.js';

/** Return cases (SPEC §7): refund_only, return_refund, exchange; platform-initiated returns and the decisions sent back. */
@Module({
  imports: [RefundsModule, OrdersModule, LogisticsModule],
  controllers: [ReturnsController, ReturnSettingsController],
  providers: [ReturnsRepository, ReturnsService, PlatformReturnsService, ReturnDecisionsService, ShopifyReturnClient, WebhookReturnClient],
  exports: [ReturnsService, PlatformReturnsService, ReturnDecisionsService],
})
export class ReturnsModule {}
