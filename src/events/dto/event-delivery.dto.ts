import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { EVENT_TYPES } from '../event-types.js';

export const DELIVERY_OUTCOMES = ['succeeded', 'failed', 'skipped'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** An event_deliveries row as PostgreSQL returns it. */
export interface EventDeliveryRow {
  id: string;
  merchant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  resend: boolean;
  outcome: DeliveryOutcome;
  status_code: number | null;
  failure_reason: string | null;
  duration_ms: number;
  created_at: Date;
}

export class ListEventDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the attempts of this event' }) @IsOptional() @IsUUID() eventId?: string;
  @ApiPropertyOptional({ enum: DELIVERY_OUTCOMES }) @IsOptional() @IsIn(DELIVERY_OUTCOMES) outcome?: DeliveryOutcome;
}

export class EventDeliveryResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'uuid', description: 'The event id (also the X-Event-Id header): the same on every attempt and resend' }) eventId: string;
  @ApiProperty({ enum: EVENT_TYPES }) eventType: string;
  @ApiProperty({ description: 'The n-th attempt of this event to this endpoint, resends included' }) attempt: number;
  @ApiProperty({ description: 'Queued by a resend' }) resend: boolean;
  @ApiProperty({ enum: DELIVERY_OUTCOMES, description: 'succeeded (2xx), failed (retried by the outbox until it gives up), skipped (the endpoint was inactive)' })
  outcome: DeliveryOutcome;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status the endpoint answered; null when it did not answer' }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Our short reason (HTTP 500, timeout, connection refused, …), never the answer body' })
  failureReason: string | null;
  @ApiProperty({ description: 'Time from sending to the answer or failure, in milliseconds' }) durationMs: number;
  @ApiProperty({ description: 'When the attempt was made' }) attemptedAt: Date;
}

export class OutboundEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: EVENT_TYPES }) type: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Per type: docs/events.md' }) data: Record<string, unknown>;
}

export class EventDeliveryDetailDto extends EventDeliveryResponseDto {
  @ApiProperty({ type: OutboundEventDto, description: 'The event exactly as it is sent (the signed body)' }) event: OutboundEventDto;
}

export class EventDeliveryPageDto {
  @ApiProperty({ type: [EventDeliveryResponseDto] }) items: EventDeliveryResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ResendEventDeliveryResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The same event id as the original delivery' }) eventId: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ enum: EVENT_TYPES }) eventType: string;
  @ApiProperty({ description: 'Queued in the outbox; the delivery log shows the attempt' }) queued: boolean;
}

export function toEventDeliveryResponse(r: EventDeliveryRow): EventDeliveryResponseDto {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    attempt: r.attempt,
    resend: r.resend,
    outcome: r.outcome,
    statusCode: r.status_code,
    failureReason: r.failure_reason,
    durationMs: r.duration_ms,
    attemptedAt: r.created_at,
  };
}
