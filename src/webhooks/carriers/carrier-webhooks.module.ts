import { Module } from '@nestjs/common';
import { LogisticsModule } from '../../logistics/logistics.module.js';
import { ShopsModule } from '../../shops/shops.module.js';
import { CarrierWebhooksController } from './carrier-webhooks.controller.js';
import { CarrierWebhooksService } from './carrier-webhooks.service.js';

@Module({
  imports: [LogisticsModule, ShopsModule],
  controllers: [CarrierWebhooksController],
  providers: [CarrierWebhooksService],
})
export class CarrierWebhooksModule {}
