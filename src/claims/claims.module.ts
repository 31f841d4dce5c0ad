import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { ClaimEffects } from './claim.effects.js';
import { ClaimsController } from './claims.controller.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimsService } from './claims.service.js';

/** Claims (SPEC §8): broken, leaking, wrong and missing goods. */
@Module({
  imports: [RefundsModule, OrdersModule, EventsModule],
  controllers: [ClaimsController],
  providers: [ClaimsRepository, ClaimsService, ClaimEffects],
  exports: [ClaimsService],
})
export class ClaimsModule {}
