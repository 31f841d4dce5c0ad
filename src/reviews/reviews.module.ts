import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { ReviewRepliesService } from './review-replies.service.js';
import { ReviewSyncService } from './review-sync.service.js';
import { ReviewSettingsController, ReviewsController } from './reviews.controller.js';
import { ReviewsRepository } from './reviews.repository.js';
import { ReviewsService } from './reviews.service.js';

/** Reviews and the bad-review recovery (SPEC §9); ReviewSyncService applies the platforms' review webhooks. */
@Module({
  imports: [RefundsModule, EventsModule],
  controllers: [ReviewsController, ReviewSettingsController],
  providers: [ReviewsRepository, ReviewsService, ReviewRepliesService, ReviewSyncService],
  exports: [ReviewsService, ReviewSyncService],
})
export class ReviewsModule {}
