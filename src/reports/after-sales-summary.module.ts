import { Module } from '@nestjs/common';
import { AfterSalesSummaryService } from './after-sales-summary.service.js';
import { ReportScopeService } from './report-scope.js';

/** The after-sales summary's reader (SPEC §12); its route is on ReportsController. ReportScopeService is stateless, so it has its own. */
@Module({
  providers: [AfterSalesSummaryService, ReportScopeService],
  exports: [AfterSalesSummaryService],
})
export class AfterSalesSummaryModule {}
