import { ApiProperty } from '@nestjs/swagger';
import type { TimelineEntry } from './timeline.service.js';

export class TimelineActorDto {
  @ApiProperty({ enum: ['staff', 'platform', 'carrier', 'system'] }) type: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The staff member, when a person acted' }) id: string | null;
}

/** One immutable event of a case's timeline (SPEC §3). */
export class TimelineEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: Date;
  @ApiProperty({ type: TimelineActorDto }) actor: TimelineActorDto;
  @ApiProperty() action: string;
  @ApiProperty({ type: String, nullable: true }) from: string | null;
  @ApiProperty({ type: String, nullable: true }) to: string | null;
  @ApiProperty({ type: Number, nullable: true }) version: number | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Action input and facts, e.g. skippedSteps of a platform fact' }) data: Record<string, unknown>;
}

export function toTimelineEntryDto(e: TimelineEntry): TimelineEntryDto {
  return { id: e.id, at: e.at, actor: { type: e.actor.type, id: e.actor.id }, action: e.action, from: e.from, to: e.to, version: e.version, note: e.note, data: e.data };
}
