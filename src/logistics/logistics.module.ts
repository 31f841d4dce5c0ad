import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersModule } from '../orders/orders.module.js';
import { CarrierPollingService } from './carrier-polling.service.js';
import { CarrierPush } from './carriers/carrier-push.entity.js';
import { CarrierPushesService } from './carriers/carrier-pushes.service.js';
import { CarrierPushesController, CarriersController } from './carriers/carriers.controller.js';
import { CarriersService } from './carriers/carriers.service.js';
import { LogisticsExceptionsController } from './logistics-exceptions.controller.js';
import { LogisticsExceptionsService } from './logistics-exceptions.service.js';
import { LogisticsException } from './logistics-exception.entity.js';
import { LogisticsController } from './logistics.controller.js';
import { ShipmentEvent } from './shipment-event.entity.js';
import { Shipment } from './shipment.entity.js';
import { ShipmentsController } from './shipments.controller.js';
import { ShipmentsService } from './shipments.service.js';
import { StaleScanService } from './stale-scan.service.js';
import { TrackingService } from './tracking.service.js';

/** Logistics tracking (SPEC §6): shipments and their events, the carrier registry and push inbox, the stale scan, carrier polling, exception cases. */
@Module({
  imports: [TypeOrmModule.forFeature([Shipment, ShipmentEvent, LogisticsException, CarrierPush]), OrdersModule],
  controllers: [ShipmentsController, LogisticsController, LogisticsExceptionsController, CarriersController, CarrierPushesController],
  providers: [ShipmentsService, TrackingService, LogisticsExceptionsService, StaleScanService, CarrierPollingService, CarriersService, CarrierPushesService],
  exports: [ShipmentsService, TrackingService, LogisticsExceptionsService, StaleScanService, CarrierPollingService, CarrierPushesService],
})
export class LogisticsModule {}
