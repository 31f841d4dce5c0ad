import { Module } from '@nestjs/common';
import { LogisticsModule } from '../logistics/logistics.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { ReturnSettingsController, ReturnsController } from './returns.controller.js';
import { ReturnsRepository } from './returns.repository.js';
import { ReturnsService } from './returns.service.js';

/** Return cases (SPEC §7): refund_only, return_refund, exchange. */
@Module({
  imports: [RefundsModule, OrdersModule, LogisticsModule],
  controllers: [ReturnsController, ReturnSettingsController],
  providers: [ReturnsRepository, ReturnsService],
  exports: [ReturnsService],
})
export class ReturnsModule {}
