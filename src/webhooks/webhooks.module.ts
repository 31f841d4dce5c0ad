import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersModule } from '../orders/orders.module.js';
import { ReturnsModule } from '../returns/returns.module.js';
import { ReviewsModule } from '../reviews/reviews.module.js';
import { ShopsModule } from '../shops/shops.module.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookInboxService } from './webhook-inbox.service.js';
import { WebhookProcessorService } from './webhook-processor.service.js';
import { WebhookWorkerService } from './webhook-worker.service.js';
import { WebhooksController } from './webhooks.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([WebhookDelivery]), ShopsModule, OrdersModule, ReturnsModule, ReviewsModule],
  controllers: [WebhooksController, WebhookDeliveriesController],
  providers: [WebhookInboxService, WebhookProcessorService, WebhookWorkerService, WebhookDeliveriesService],
  exports: [WebhookProcessorService],
})
export class WebhooksModule {}
