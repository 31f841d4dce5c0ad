import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../pagination/pagination.js';

/** `a,b` or repeated `?status=a&status=b` → ['a', 'b']; anything else is left for the validators to refuse. */
function commaList({ value }: { value: unknown }): unknown {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) return value;
  return (parts as string[]).flatMap((p) => p.split(',')).map((p) => p.trim());
}

/** `true` / `false` as query text → boolean; other text stays text and fails @IsBoolean (400). */
function queryBoolean({ value }: { value: unknown }): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

/** The filters every case list takes (SPEC §4 Lists), with `limit`/`cursor`. */
export interface CaseListQuery {
  shopId?: string;
  status?: string[];
  assigneeId?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  limit?: number;
  cursor?: string;
}

/**
 * The list-query DTO of a machine's collection: `shopId`, `status` (one or a comma list of the
 * machine's states), `assigneeId`, `from`/`to` (ISO 8601, on the date the module names — created
 * at unless it says otherwise), `overdue=true|false`, `limit`, `cursor`. A module's query DTO
 * extends `CaseListQueryDto(Status)` and adds its own filters; `caseFilter` turns it into SQL.
 */
export function CaseListQueryDto<S extends string>(statuses: Record<string, S>, dates = 'Created') {
  const values = Object.values(statuses);
  class CaseListQueryBase extends PageQueryDto implements CaseListQuery {
    @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;

    @ApiPropertyOptional({ type: String, description: `One status or a comma-separated list: ${values.join(', ')}`, example: values.slice(0, 2).join(',') })
    @IsOptional() @Transform(commaList) @ArrayMinSize(1) @ArrayMaxSize(values.length) @IsIn(values, { each: true, message: `status must be one of ${values.join(', ')}` })
    status?: S[];

    @ApiPropertyOptional({ format: 'uuid', description: 'Cases assigned to this staff member' }) @IsOptional() @IsUUID() assigneeId?: string;

    @ApiPropertyOptional({ description: `${dates} at or after (ISO 8601)`, example: '2025-03-01T00:00:00+08:00' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;

    @ApiPropertyOptional({ description: `${dates} before (ISO 8601)` }) @IsOptional() @IsISO8601({ strict: true }) to?: string;

    @ApiPropertyOptional({ type: Boolean, description: 'true: only those past their dueAt; false: only those not past it (or without one)' })
    @IsOptional() @Transform(queryBoolean) @IsBoolean()
    overdue?: boolean;
  }
  return CaseListQueryBase;
}
