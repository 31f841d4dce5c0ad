import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { type CarrierPush, CarrierPushProvider } from './carrier-push.entity.js';

export class ListCarrierPushesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'false: pushes that reached no parcel (yet); true: those that did' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() matched?: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ enum: CarrierPushProvider }) @IsOptional() @IsEnum(CarrierPushProvider) provider?: CarrierPushProvider;
  @ApiPropertyOptional({ description: 'Any name of the carrier (resolved through the registry)' }) @IsOptional() @IsString() @MaxLength(100) carrier?: string;
  @ApiPropertyOptional({ description: 'Exact tracking number' }) @IsOptional() @IsString() @MaxLength(50) trackingNo?: string;
}

export class CarrierPushResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ enum: CarrierPushProvider }) provider: CarrierPushProvider;
  @ApiProperty({ type: String, nullable: true, example: 'yuantong', description: 'Canonical carrier code' }) carrier: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The carrier as the push named it' }) carrierName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Kuaidi100 autoCheck: the code before the correction (comOld)' }) previousCarrier: string | null;
  @ApiProperty({ type: String, nullable: true }) trackingNo: string | null;
  @ApiProperty({ description: 'It reached a parcel' }) matched: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) shipmentId: string | null;
  @ApiProperty({ type: Date, nullable: true, description: 'When it reached the parcel (later than receivedAt when the parcel was registered after the push)' }) matchedAt: Date | null;
  @ApiProperty({ description: 'What the push said (status, state, message or topic) and what it did' }) result: Record<string, unknown>;
  @ApiProperty() receivedAt: Date;
}

export class CarrierPushPageDto {
  @ApiProperty({ type: [CarrierPushResponseDto] }) items: CarrierPushResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toCarrierPushResponse(p: CarrierPush): CarrierPushResponseDto {
  return {
    id: p.id,
    shopId: p.shopId,
    provider: p.provider,
    carrier: p.carrier,
    carrierName: p.carrierName,
    previousCarrier: p.previousCarrier,
    trackingNo: p.trackingNo,
    matched: !!p.shipmentId,
    shipmentId: p.shipmentId,
    matchedAt: p.matchedAt,
    result: p.result,
    receivedAt: p.createdAt,
  };
}
