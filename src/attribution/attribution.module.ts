import { Module } from '@nestjs/common';
import { AttributionController } from './attribution.controller.js';
import { AttributionService } from './attribution.service.js';

/** [002 订单归属] Agents' contacts with order customers and the agent each order is attributed to. */
@Module({
  controllers: [AttributionController],
  providers: [AttributionService],
  exports: [AttributionService],
})
export class AttributionModule {}
