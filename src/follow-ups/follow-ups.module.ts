import { Module } from '@nestjs/common';
import { ComplaintsModule } from '../complaints/complaints.module.js';
import { FollowUpsController } from './follow-ups.controller.js';
import { FollowUpsRepository } from './follow-ups.repository.js';
import { FollowUpsService } from './follow-ups.service.js';

/** Follow-up calls (SPEC §10): one per resolved case of any module, hooked on the engine's transitions. */
@Module({
  imports: [ComplaintsModule],
  controllers: [FollowUpsController],
  providers: [FollowUpsRepository, FollowUpsService],
  exports: [FollowUpsService],
})
export class FollowUpsModule {}
