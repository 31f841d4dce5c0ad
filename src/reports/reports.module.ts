import { Module } from '@nestjs/common';
import { ReconciliationService } from './reconciliation.service.js';
import { RefundRateService } from './refund-rate.service.js';
import { ReportsController } from './reports.controller.js';

/** Finance and KPI reports: refund reconciliation, refund rate. */
@Module({
  controllers: [ReportsController],
  providers: [ReconciliationService, RefundRateService],
  exports: [ReconciliationService, RefundRateService],
})
export class ReportsModule {}
