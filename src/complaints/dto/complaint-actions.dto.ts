import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import { FollowUpResult } from '../../follow-ups/follow-up-status.js';
import { ComplaintAcceptance, ComplaintDepartment } from '../complaint-status.js';

const TEXT = /^[^\u0000]*$/;

/** 投诉判断 [000 step 2]: founded or not, and why — the explanation is kept either way. */
export class AssessComplaintDto extends CaseActionDto {
  @ApiProperty({ description: 'true: founded, investigate; false: unfounded, the explanation is given to the customer' })
  @IsBoolean()
  founded: boolean;

  @ApiProperty({ description: 'Why; for an unfounded complaint the polite explanation given to the customer (婉转的方式答复客户)', maxLength: 2000 })
  @IsString() @Matches(TEXT, { message: 'explanation must not contain NUL characters' }) @MinLength(1) @MaxLength(2000)
  explanation: string;
}

/** 确定责任部门 / 责任人 [000 steps 2–3]. */
export class AssignDepartmentDto extends CaseActionDto {
  @ApiProperty({ enum: ComplaintDepartment })
  @IsEnum(ComplaintDepartment)
  department: ComplaintDepartment;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: '责任人: an active staff member of the merchant (422 otherwise); null clears it' })
  @IsOptional() @ValidateIf((o: AssignDepartmentDto) => o.responsibleStaffId !== null) @IsUUID()
  responsibleStaffId?: string | null;
}

/** 提出处理方案 [000 step 4]. */
export class ProposePlanDto extends CaseActionDto {
  @ApiProperty({ description: 'The remedy plan', maxLength: 4000, example: '补发同款商品并赠送20元无门槛券' })
  @IsString() @Matches(TEXT, { message: 'plan must not contain NUL characters' }) @MinLength(1) @MaxLength(4000)
  plan: string;

  @ApiProperty({ description: 'What the plan will cost the merchant, minor units', minimum: 0, example: 5900 })
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  costEstimate: number;
}

/** The supervisor approves the plan (主管领导…及时作出批示). */
export class ApprovePlanDto extends CaseActionDto {}

/** The supervisor sends the plan back to the investigation, saying why. */
export class RejectPlanDto extends CaseActionDto {
  @ApiProperty({ description: 'What is wrong with the plan', maxLength: 1000 })
  @IsString() @Matches(TEXT, { message: 'reason must not contain NUL characters' }) @MinLength(1) @MaxLength(1000)
  reason: string;
}

/** 实施处理方案 [000 step 5]. */
export class ImplementPlanDto extends CaseActionDto {
  @ApiPropertyOptional({ description: 'What it actually cost, minor units (default the estimate); added to the case cost', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  actualCost?: number;
}

/** The customer accepted the remedy (确认顾客接受解决方案后请顾客签字). */
export class ConfirmComplaintDto extends CaseActionDto {
  @ApiProperty({ enum: ComplaintAcceptance })
  @IsEnum(ComplaintAcceptance)
  acceptance: ComplaintAcceptance;
}

/** The follow-up call's result (回访); unsatisfied reopens the investigation. */
export class ComplaintFollowUpDto extends CaseActionDto {
  @ApiProperty({ enum: FollowUpResult })
  @IsEnum(FollowUpResult)
  result: FollowUpResult;

  @ApiPropertyOptional({ description: 'What the customer said', maxLength: 2000 })
  @IsOptional() @IsString() @Matches(TEXT, { message: 'comment must not contain NUL characters' }) @MaxLength(2000)
  comment?: string;
}

/** Close an explained (unfounded) complaint: the customer accepted the explanation. */
export class CloseComplaintDto extends CaseActionDto {}

/** Raise a complaint to serious (情节严重, 及时上报): supervisors are told at once. */
export class MarkSeriousDto extends CaseActionDto {}
