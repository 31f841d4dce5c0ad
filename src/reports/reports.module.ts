import { Module } from '@nestjs/common';
import { AfterSalesSummaryModule } from './after-sales-summary.module.js';
import { AgentKpisModule } from './agent-kpis.module.js';
import { ReconciliationService } from './reconciliation.service.js';
import { RefundRateService } from './refund-rate.service.js';
import { ReportScopeService } from './report-scope.js';
import { ReportsController } from './reports.controller.js';

/** Finance and KPI reports: refund reconciliation, refund rate; ReportScopeService resolves any report's shop and period. */
@Module({
  imports: [AfterSalesSummaryModule, AgentKpisModule],
  controllers: [ReportsController],
  providers: [ReconciliationService, RefundRateService, ReportScopeService],
  exports: [ReconciliationService, RefundRateService, ReportScopeService],
})
export class ReportsModule {}
