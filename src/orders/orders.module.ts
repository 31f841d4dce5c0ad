import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TasksModule } from '../tasks/tasks.module.js';
import { Order, OrderConfirmationCall, OrderLine, PlatformRefundRecord } from './order.entity.js';
import { OrderShipmentsPort } from './order-shipments.port.js';
import { OrderSyncService } from './order-sync.service.js';
import { ReshipOrdersService } from './reship-orders.service.js';
import { OrdersController } from './orders.controller.js';
import { OrderSettingsController } from './order-settings.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Order, OrderLine, OrderConfirmationCall, PlatformRefundRecord]), TasksModule],
  controllers: [OrdersController, OrderSettingsController],
  providers: [OrdersService, OrdersRepository, OrderSyncService, OrderShipmentsPort, ReshipOrdersService],
  exports: [OrdersService, OrderSyncService, OrderShipmentsPort, ReshipOrdersService],
})
export class OrdersModule {}
