import { ApiProperty } from '@nestjs/swagger';

/**
 * The columns every case has (SPEC §3); a module's response DTO extends it (and may narrow a
 * field's docs, e.g. `orderId` never null) and its mapper spreads `toCaseResponse(...)`.
 */
export class CaseResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orderId: string | null;
  @ApiProperty() status: string;
  @ApiProperty({ description: 'Row version; send it back as expectedVersion' }) version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Staff member working the case' }) assigneeId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'SLA deadline of the current step' }) dueAt: Date | null;
  @ApiProperty({ description: 'dueAt has passed' }) overdue: boolean;
  @ApiProperty({ description: 'What the case has cost the merchant so far (refunds, reships at goods cost plus freight, gifts), minor units' }) cost: number;
  @ApiProperty({ description: 'Money recovered (e.g. from a carrier), minor units' }) recovered: number;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

/** The shared case columns of an entity or a camel-cased row. */
export interface CaseColumns {
  id: string;
  shopId: string;
  orderId: string | null;
  status: string;
  version: number;
  assigneeId: string | null;
  dueAt: Date | null;
  cost: number | string;
  recovered: number | string;
  createdAt: Date;
  updatedAt: Date;
}

/** The SPEC §3 part of a case response; `overdue` is judged at `now`. */
export function toCaseResponse(c: CaseColumns, now = new Date()): CaseResponseDto {
  return {
    id: c.id,
    shopId: c.shopId,
    orderId: c.orderId,
    status: c.status,
    version: c.version,
    assigneeId: c.assigneeId,
    dueAt: c.dueAt,
    overdue: c.dueAt !== null && c.dueAt.getTime() < now.getTime(),
    cost: Number(c.cost),
    recovered: Number(c.recovered),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
