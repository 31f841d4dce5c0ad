import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventDeliveriesController } from './event-deliveries.controller.js';
import { EventDeliveryService } from './event-deliveries.service.js';
import { EventLogRetention } from './event-log-retention.service.js';
import { EventsService } from './events.service.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint])],
  controllers: [WebhookEndpointsController, EventDeliveriesController],
  providers: [EventsService, EventDeliveryService, EventLogRetention],
  exports: [EventsService],
})
export class EventsModule {}
