import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersModule } from '../orders/orders.module.js';
import { CarrierPollingService } from './carrier-polling.service.js';
import { LogisticsExceptionsController } from './logistics-exceptions.controller.js';
import { LogisticsExceptionsService } from './logistics-exceptions.service.js';
import { LogisticsException } from './logistics-exception.entity.js';
import { LogisticsController } from './logistics.controller.js';
import { LogisticsSettingsService } from './logistics-settings.service.js';
import { ShipmentEvent } from './shipment-event.entity.js';
import { Shipment } from './shipment.entity.js';
import { ShipmentsController } from './shipments.controller.js';
import { ShipmentsService } from './shipments.service.js';
import { StaleScanService } from './stale-scan.service.js';
import { TrackingService } from './tracking.service.js';

/** Logistics tracking (SPEC §6): shipments and their events, the stale scan, carrier polling, exception cases. */
@Module({
  imports: [TypeOrmModule.forFeature([Shipment, ShipmentEvent, LogisticsException]), OrdersModule],
  controllers: [ShipmentsController, LogisticsController, LogisticsExceptionsController],
  providers: [ShipmentsService, TrackingService, LogisticsExceptionsService, StaleScanService, CarrierPollingService, LogisticsSettingsService],
  exports: [TrackingService, LogisticsExceptionsService, StaleScanService, CarrierPollingService],
})
export class LogisticsModule {}
