import { Module } from '@nestjs/common';
import { AfterSalesSummaryService } from './after-sales-summary.service.js';
import { AgentKpisController } from './agent-kpis.controller.js';
import { AgentKpisService } from './agent-kpis.service.js';
import { ReconciliationService } from './reconciliation.service.js';
import { RefundRateService } from './refund-rate.service.js';
import { ReportScopeService } from './report-scope.js';
import { ReportsController } from './reports.controller.js';
import { SlaBreachRecorder } from './sla-breach-recorder.service.js';

/**
 * Finance and team reports: refund reconciliation, refund rate, the after-sales summary (SPEC §12),
 * the agent KPI sheet [002 售前客服绩效核标准] and the SLA breach history it reads; one
 * ReportScopeService resolves every report's shop and period.
 */
@Module({
  controllers: [AgentKpisController, ReportsController],
  providers: [ReconciliationService, RefundRateService, ReportScopeService, AfterSalesSummaryService, AgentKpisService, SlaBreachRecorder],
  exports: [ReconciliationService, RefundRateService, ReportScopeService],
})
export class ReportsModule {}
