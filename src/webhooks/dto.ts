import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../kernel/pagination/pagination.js';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';

export class WebhookAckDto {
  @ApiProperty() received: boolean;
  @ApiProperty({ description: 'The same delivery id was already received; it has no second effect' }) duplicate: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Inbox id of the delivery (null for a WooCommerce ping)' }) id: string | null;
}

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ enum: DeliveryStatus }) @IsOptional() @IsEnum(DeliveryStatus) status?: DeliveryStatus;
  @ApiPropertyOptional({ example: 'orders/create' }) @IsOptional() @IsString() @MaxLength(100) topic?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
}

export class WebhookDeliveryResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ example: 'shopify' }) platform: string;
  @ApiProperty({ example: 'orders/create' }) topic: string;
  @ApiProperty({ description: 'The platform\'s delivery / event id' }) deliveryId: string;
  @ApiProperty({ type: Date, nullable: true, description: 'When the platform says the event happened' }) eventAt: Date | null;
  @ApiProperty({ enum: DeliveryStatus }) status: DeliveryStatus;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'What processing made of it (created / updated / stale ...)' })
  result: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orderId: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ description: 'Further arrivals of the same delivery id' }) duplicates: number;
  @ApiProperty() replays: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty() receivedAt: Date;
  @ApiProperty() lastSeenAt: Date;
  @ApiProperty({ type: Date, nullable: true }) processedAt: Date | null;
}

export class WebhookDeliveryDetailDto extends WebhookDeliveryResponseDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'The headers that matter, as received' }) headers: Record<string, string>;
  @ApiProperty({ description: 'The raw body as received (UTF-8)' }) body: string;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryResponseDto] }) items: WebhookDeliveryResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toDeliveryResponse(d: WebhookDelivery): WebhookDeliveryResponseDto {
  return {
    id: d.id,
    shopId: d.shopId,
    platform: d.platform,
    topic: d.topic,
    deliveryId: d.deliveryId,
    eventAt: d.eventAt,
    status: d.status,
    result: d.result,
    orderId: d.orderId,
    attempts: d.attempts,
    duplicates: d.duplicates,
    replays: d.replays,
    lastError: d.lastError,
    receivedAt: d.createdAt,
    lastSeenAt: d.lastSeenAt,
    processedAt: d.processedAt,
  };
}

export function toDeliveryDetail(d: WebhookDelivery): WebhookDeliveryDetailDto {
  return { ...toDeliveryResponse(d), headers: d.headers, body: d.rawBody.toString('utf8') };
}
