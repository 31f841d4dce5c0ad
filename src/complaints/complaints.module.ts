import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { ComplaintsController } from './complaints.controller.js';
import { ComplaintsRepository } from './complaints.repository.js';
import { ComplaintsService } from './complaints.service.js';

/** Complaints (SPEC §10): the six steps of [000] 投诉处理流程. */
@Module({
  imports: [EventsModule],
  controllers: [ComplaintsController],
  providers: [ComplaintsRepository, ComplaintsService],
  exports: [ComplaintsService],
})
export class ComplaintsModule {}
