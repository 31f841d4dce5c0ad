import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

/** PostgreSQL text cannot hold NUL: refused as a validation error (400), never a 500. */
const NO_NUL = /^[^\u0000]*$/;

/**
 * Fields every action body may carry (SPEC §4): every action DTO of every machine extends it.
 * A subclass may redeclare `note` with stricter rules (e.g. required for some reason).
 */
export class CaseActionDto {
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(2_147_483_647)
  expectedVersion?: number;

  @ApiPropertyOptional({ description: 'Free note kept on the timeline', maxLength: 2000 })
  @IsOptional() @IsString() @Matches(NO_NUL, { message: 'note must not contain NUL characters' }) @MaxLength(2000)
  note?: string;
}

/** `assign`: who works the case now; null unassigns. Must be active staff of the same merchant (422). */
export class AssignCaseDto extends CaseActionDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Staff member of this merchant, or null to unassign' })
  @ValidateIf((o: AssignCaseDto) => o.assigneeId !== null) @IsUUID()
  assigneeId: string | null;
}

/** `note`: a timeline note on the case; the status stays. */
export class NoteCaseDto extends CaseActionDto {
  @ApiProperty({ description: 'The note', maxLength: 2000 })
  // Replaces the base's @IsOptional (class-validator lets a subclass override a conditional of the same property).
  @ValidateIf(() => true)
  @IsString() @Matches(NO_NUL, { message: 'note must not contain NUL characters' }) @MinLength(1) @MaxLength(2000)
  declare note: string;
}
