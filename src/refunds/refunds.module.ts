import { Module, OnModuleInit } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { ShopifyRefundClient } from './platforms/shopify-refund.client.js';
import { WebhookRefundClient } from './platforms/webhook-refund.client.js';
import { RefundChannelsService } from './refund-channels.service.js';
import { RefundExecutionService } from './refund-execution.service.js';
import { RefundLedgerService } from './refund-ledger.service.js';
import { refundMachine } from './refund.machine.js';
import { RefundRepository } from './refund.repository.js';
import { RefundSourceRegistry } from './refund-sources.js';
import { RefundChannelsController, RefundsController } from './refunds.controller.js';

/** The refund ledger, its execution through the outbox, and the shops' refund channels. */
@Module({
  imports: [EventsModule],
  controllers: [RefundsController, RefundChannelsController],
  providers: [RefundRepository, RefundLedgerService, RefundExecutionService, RefundSourceRegistry, RefundChannelsService, ShopifyRefundClient, WebhookRefundClient],
  exports: [RefundLedgerService, RefundSourceRegistry, RefundRepository, RefundExecutionService],
})
export class RefundsModule implements OnModuleInit {
  constructor(private readonly registry: MachineRegistry) {}

  onModuleInit(): void {
    this.registry.register(refundMachine);
  }
}
