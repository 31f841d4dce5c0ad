import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsBoolean, IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { EVENT_TYPES } from '../event-types.js';
import type { WebhookEndpoint } from '../webhook-endpoint.entity.js';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://erp.example.com/hooks/after-sales' }) @IsUrl(URL_OPTIONS) @MaxLength(2000) url: string;
  @ApiPropertyOptional({ description: 'Signing secret; generated and returned once when omitted', minLength: 16 })
  @IsOptional() @IsString() @MinLength(16) @MaxLength(200) secret?: string;
  @ApiPropertyOptional({ type: [String], enum: EVENT_TYPES, description: 'Event types to receive; empty or omitted = all' })
  @IsOptional() @ArrayMaxSize(20) @ArrayUnique() @IsIn(EVENT_TYPES, { each: true }) events?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional() @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2000) url?: string;
  @ApiPropertyOptional({ type: [String], enum: EVENT_TYPES }) @IsOptional() @ArrayMaxSize(20) @ArrayUnique() @IsIn(EVENT_TYPES, { each: true }) events?: string[];
  @ApiPropertyOptional({ description: 'false pauses deliveries; true re-enables an endpoint that repeated failures disabled' })
  @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class WebhookEndpointResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) events: string[];
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ description: 'Failed delivery attempts since the last success' }) consecutiveFailures: number;
  @ApiProperty({ type: Date, nullable: true }) lastFailureAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'Status or network failure of the last failed attempt (never the answer body)' }) lastFailureReason: string | null;
  @ApiProperty({ type: Date, nullable: true, description: 'When repeated failures disabled the endpoint (active became false); PATCH {"active": true} re-enables it' })
  disabledAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) disabledReason: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointResponseDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The signing secret, shown only in this response: null when the response is an Idempotency-Key replay (header `idempotent-redacted: secret`)',
  })
  secret: string | null;
}

export class WebhookEndpointPageDto {
  @ApiProperty({ type: [WebhookEndpointResponseDto] }) items: WebhookEndpointResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListWebhookEndpointsQueryDto extends PageQueryDto {}

export function toWebhookEndpointResponse(e: WebhookEndpoint): WebhookEndpointResponseDto {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    active: e.active,
    description: e.description,
    consecutiveFailures: e.consecutiveFailures,
    lastFailureAt: e.lastFailureAt,
    lastFailureReason: e.lastFailureReason,
    disabledAt: e.disabledAt,
    disabledReason: e.disabledReason,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
