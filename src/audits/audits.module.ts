import { Module } from '@nestjs/common';
import { AuditFindingsController } from './audit-findings.controller.js';
import { AuditFindingsService } from './audit-findings.service.js';

/** [002 绩效 七] Order-audit errors supervisors record against agents (read by the KPI sheet). */
@Module({
  controllers: [AuditFindingsController],
  providers: [AuditFindingsService],
})
export class AuditsModule {}
