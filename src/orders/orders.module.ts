import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Shipment } from '../logistics/shipment.entity.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { Order, OrderConfirmationCall, OrderLine, PlatformRefundRecord } from './order.entity.js';
import { OrderSyncService } from './order-sync.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Order, OrderLine, OrderConfirmationCall, PlatformRefundRecord, Shipment]), TasksModule],
  controllers: [OrdersController],
  providers: [OrdersService, OrdersRepository, OrderSyncService],
  exports: [OrdersService, OrderSyncService],
})
export class OrdersModule {}
