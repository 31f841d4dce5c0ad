import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Omittable } from '../kernel/errors/validation.js';
import { defineSettings } from '../kernel/settings/settings-section.js';

/** The merchant's order-procedure settings (section `orders`). */
export interface OrderSettings {
  /** Days after delivery before an order completes on its own (SPEC §5: 15). */
  completeAfterDays: number;
  /** Province the warehouse ships from: origin of new shipments of shops without a ship-from address (the shop's wins). */
  shipFromProvince: string | null;
}

export class OrderSettingsDto {
  @ApiPropertyOptional({ default: 15, minimum: 1, maximum: 365, description: 'Days after delivery before an order completes' })
  @Omittable() @IsInt() @Min(1) @Max(365) completeAfterDays?: number;

  @ApiPropertyOptional({ example: '浙江', description: 'Province the warehouse ships from' })
  @Omittable() @IsString() @MinLength(1) @MaxLength(100) shipFromProvince?: string;
}

export const orderSettings = defineSettings<OrderSettings>({
  name: 'orders',
  description: 'Order procedure: days after delivery before completion (SPEC §5), the province the warehouse ships from',
  defaults: { completeAfterDays: 15, shipFromProvince: null },
  dto: OrderSettingsDto,
  normalise: (p) => (p.shipFromProvince ? { ...p, shipFromProvince: p.shipFromProvince.trim() } : p),
});
