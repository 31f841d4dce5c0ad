import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import type { ShipmentEvent } from '../shipment-event.entity.js';
import { TrackingSource } from '../shipment-event.entity.js';
import type { Shipment } from '../shipment.entity.js';
import { ShipmentSource } from '../shipment.entity.js';
import { TrackingStatus } from '../tracking-status.js';

export class CreateShipmentDto {
  @ApiProperty({ format: 'uuid', description: 'Shop the parcel was sent for' }) @IsUUID() shopId: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Order it belongs to, when there is one' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiProperty({ example: 'YTO Express', description: 'Carrier, by any of its names: Kuaidi100 code (yuantong), display name (YTO Express), Chinese name (圆通速递), short code (YTO) or a merchant alias (GET /api/v1/carriers). Stored as the canonical code; an unknown name is kept as its slug' })
  @IsString() @MinLength(1) @MaxLength(100) carrier: string;
  @ApiProperty({ example: 'YT1234567890123', description: 'Tracking number (运单号)' })
  @IsString() @MinLength(4) @MaxLength(50) @Matches(/^[A-Za-z0-9-]+$/, { message: 'trackingNo must be letters, digits and -' }) trackingNo: string;
  @ApiPropertyOptional({ example: '浙江', description: 'Province the parcel leaves from; default the shop\'s ship-from province' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) originProvince?: string;
  @ApiProperty({ example: '广东省', description: 'Province it goes to' }) @IsString() @MinLength(1) @MaxLength(100) destProvince: string;
}

export class ListShipmentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: TrackingStatus }) @IsOptional() @IsEnum(TrackingStatus) status?: TrackingStatus;
  @ApiPropertyOptional({ description: 'Exact tracking number' }) @IsOptional() @IsString() @MaxLength(50) trackingNo?: string;
  @ApiPropertyOptional({ description: 'Carrier, by any of its names' }) @IsOptional() @IsString() @MaxLength(100) carrier?: string;
  @ApiPropertyOptional({ description: 'Registered at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Registered before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class ShipmentEventResponseDto {
  @ApiProperty({ description: 'When it happened (carrier time)' }) at: Date;
  @ApiProperty({ type: String, nullable: true }) location: string | null;
  @ApiProperty() description: string;
  @ApiProperty({ enum: TrackingStatus, nullable: true, description: 'Normalised status the carrier gave with this event' }) status: TrackingStatus | null;
  @ApiProperty({ type: String, nullable: true, description: 'Raw carrier code, e.g. Kuaidi100 state' }) rawCode: string | null;
  @ApiProperty({ enum: TrackingSource }) source: TrackingSource;
  @ApiProperty() receivedAt: Date;
}

export class ShipmentResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orderId: string | null;
  @ApiProperty({ example: 'yuantong', description: 'Canonical carrier code (GET /api/v1/carriers)' }) carrier: string;
  @ApiProperty({ type: String, nullable: true, example: 'YTO Express', description: 'The carrier as it was given' }) carrierName: string | null;
  @ApiProperty() trackingNo: string;
  @ApiProperty({ type: String, nullable: true }) originProvince: string | null;
  @ApiProperty({ type: String, nullable: true }) destProvince: string | null;
  @ApiProperty({ enum: TrackingStatus, description: 'Normalised tracking status, from the newest event' }) status: string;
  @ApiProperty({ type: String, nullable: true, description: 'Raw carrier code of that status' }) rawStatus: string | null;
  @ApiProperty({ enum: ShipmentSource }) source: ShipmentSource;
  @ApiProperty({ type: Date, nullable: true, description: 'Time of the newest tracking event' }) lastEventAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ShipmentDetailResponseDto extends ShipmentResponseDto {
  @ApiProperty({ type: [ShipmentEventResponseDto], description: 'Newest first' }) events: ShipmentEventResponseDto[];
}

export class ShipmentPageDto {
  @ApiProperty({ type: [ShipmentResponseDto] }) items: ShipmentResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toShipmentEventResponse(e: ShipmentEvent): ShipmentEventResponseDto {
  return { at: e.occurredAt, location: e.location, description: e.description, status: e.status, rawCode: e.rawCode, source: e.source, receivedAt: e.receivedAt };
}

export function toShipmentResponse(s: Shipment): ShipmentResponseDto {
  return {
    id: s.id,
    shopId: s.shopId,
    orderId: s.orderId,
    carrier: s.carrier,
    carrierName: s.carrierName,
    trackingNo: s.trackingNo,
    originProvince: s.originProvince,
    destProvince: s.destProvince,
    status: s.status,
    rawStatus: s.rawStatus,
    source: s.source,
    lastEventAt: s.lastEventAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export function toShipmentDetailResponse(s: Shipment, events: ShipmentEvent[]): ShipmentDetailResponseDto {
  return { ...toShipmentResponse(s), events: events.map(toShipmentEventResponse) };
}
