import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { WorklistController } from './worklist.controller.js';
import { WorklistService } from './worklist.service.js';

/** The daily worklist (SPEC §11): a read model over the case index and the module tables. */
@Module({
  imports: [ReportsModule],
  controllers: [WorklistController],
  providers: [WorklistService],
})
export class WorklistModule {}
