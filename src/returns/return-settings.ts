import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { Omittable } from '../kernel/errors/validation.js';
import { defineSettings } from '../kernel/settings/settings-section.js';
import { DEFAULT_AGENT_APPROVAL_LIMIT } from './return-status.js';

/** The merchant's return-procedure settings (section `returns`). */
export interface ReturnSettings {
  /** The most an agent may approve alone, minor units; above it a supervisor approves [002 退款审核]. */
  agentApprovalLimit: number;
}

export class ReturnSettingsPatchDto {
  @ApiPropertyOptional({ description: 'Most an agent may approve alone, minor units (default 50000 = 500.00)', minimum: 0 })
  @Omittable() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  agentApprovalLimit?: number;
}

export const returnSettings = defineSettings<ReturnSettings>({
  name: 'returns',
  description: 'Refunds and returns: the amount an agent may approve alone [002 退款审核]',
  defaults: { agentApprovalLimit: DEFAULT_AGENT_APPROVAL_LIMIT },
  dto: ReturnSettingsPatchDto,
});
