import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CalendarDayKind, MAX_WINDOWS_PER_DAY, type TimeWindow, type WeeklyHours } from './calendar-rules.js';
import { CalendarDaySource, type StoredCalendarDay } from './calendar.repository.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const HHMM_OR_MIDNIGHT = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export class TimeWindowDto {
  @ApiProperty({ example: '09:00', pattern: HHMM.source, description: 'HH:mm' }) @Matches(HHMM, { message: 'start must be HH:mm' }) start: string;
  @ApiProperty({ example: '18:00', pattern: HHMM_OR_MIDNIGHT.source, description: 'HH:mm; 24:00 = until midnight' })
  @Matches(HHMM_OR_MIDNIGHT, { message: 'end must be HH:mm or 24:00' })
  end: string;
}

export class QuietHoursDto {
  @ApiProperty({ example: '21:00', pattern: HHMM.source, description: 'HH:mm' }) @Matches(HHMM, { message: 'start must be HH:mm' }) start: string;
  @ApiProperty({ example: '09:00', pattern: HHMM.source, description: 'HH:mm; may be earlier than start (across midnight); equal to start = no quiet hours' })
  @Matches(HHMM, { message: 'end must be HH:mm' })
  end: string;
}

const windows = (day: string) =>
  ApiPropertyOptional({ type: [TimeWindowDto], description: `${day}'s business windows in order; [] = closed`, maxItems: MAX_WINDOWS_PER_DAY });

/** Business windows per weekday; omitted weekdays keep their hours. */
export class WeeklyHoursDto {
  @windows('Monday') @IsOptional() @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto) monday?: TimeWindowDto[];
  @windows('Tuesday') @IsOptional() @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto) tuesday?: TimeWindowDto[];
  @windows('Wednesday') @IsOptional() @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto) wednesday?: TimeWindowDto[];
  @windows('Thursday') @IsOptional() @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto) thursday?: TimeWindowDto[];
  @windows('Friday') @IsOptional() @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto) friday?: TimeWindowDto[];
  @windows('Saturday') @IsOptional() @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto) saturday?: TimeWindowDto[];
  @windows('Sunday') @IsOptional() @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto) sunday?: TimeWindowDto[];
}

export class UpdateCalendarSettingsDto {
  @ApiPropertyOptional({ type: WeeklyHoursDto, description: 'Weekdays given replace their windows; the others stay' })
  @IsOptional() @ValidateNested() @Type(() => WeeklyHoursDto)
  weeklyHours?: WeeklyHoursDto;

  @ApiPropertyOptional({ type: QuietHoursDto, description: 'Never call customers in this window [000]' })
  @IsOptional() @ValidateNested() @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;
}

export class DefaultListDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'true: the State Council arrangement with 调休; false: statutory days only' }) official: boolean;
  @ApiProperty() source: string;
}

export class CalendarSettingsResponseDto {
  @ApiProperty({ type: WeeklyHoursDto, description: 'Every weekday, Monday first' }) weeklyHours: WeeklyHours;
  @ApiProperty({ type: QuietHoursDto }) quietHours: { start: string; end: string };
  @ApiProperty({ type: [DefaultListDto], description: 'The default mainland-China lists this calendar was seeded with' }) defaultLists: DefaultListDto[];
  @ApiProperty() updatedAt: string;
}

export class ListCalendarDaysQueryDto {
  @ApiPropertyOptional({ description: 'Calendar year; default the current year', minimum: 1970, maximum: 2100, example: 2026 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1970) @Max(2100)
  year?: number;
}

export class PutCalendarDayDto {
  @ApiProperty({ enum: CalendarDayKind, description: 'holiday: no business hours; workday: a make-up working day (调休 补班)' })
  @IsEnum(CalendarDayKind)
  kind: CalendarDayKind;

  @ApiPropertyOptional({ type: String, nullable: true, example: '春节', maxLength: 100 })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(100)
  name?: string | null;

  @ApiPropertyOptional({ type: [TimeWindowDto], nullable: true, description: 'Workdays only: this date\'s own windows; omitted = the usual hours' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsArray() @ArrayMaxSize(MAX_WINDOWS_PER_DAY) @ValidateNested({ each: true }) @Type(() => TimeWindowDto)
  hours?: TimeWindowDto[] | null;
}

export class CalendarDayResponseDto {
  @ApiProperty({ example: '2026-02-14' }) date: string;
  @ApiProperty({ enum: CalendarDayKind }) kind: CalendarDayKind;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: [TimeWindowDto], nullable: true }) hours: TimeWindow[] | null;
  @ApiProperty({ enum: CalendarDaySource, description: 'default list, set by hand, or imported' }) source: CalendarDaySource;
}

export class CalendarDaysResponseDto {
  @ApiProperty() year: number;
  @ApiProperty({ type: [CalendarDayResponseDto] }) days: CalendarDayResponseDto[];
}

export class SkippedEventDto {
  @ApiProperty({ type: String, nullable: true }) uid: string | null;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty() reason: string;
}

export class CalendarImportResponseDto {
  @ApiProperty({ description: 'VEVENTs in the file' }) events: number;
  @ApiProperty({ description: 'Dates written' }) imported: number;
  @ApiProperty() holidays: number;
  @ApiProperty() workdays: number;
  @ApiProperty({ type: [SkippedEventDto] }) skipped: SkippedEventDto[];
  @ApiProperty({ type: [CalendarDayResponseDto] }) days: CalendarDayResponseDto[];
}

export function toCalendarDayResponse(d: StoredCalendarDay): CalendarDayResponseDto {
  return { date: d.date, kind: d.kind, name: d.name, hours: d.hours, source: d.source };
}
