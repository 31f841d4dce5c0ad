import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

const TEXT = /^[^\u0000]*$/;

/** A contact of an agent with the order's customer [002 订单归属]; it may change who the order is attributed to. */
export class AttributeOrderDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The agent in contact (default: the caller; an agent may record only their own contacts)' })
  @IsOptional() @IsUUID()
  agentId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the agent was in contact with the customer (default: now); not in the future' })
  @IsOptional() @IsISO8601({ strict: true })
  contactedAt?: string;

  @ApiPropertyOptional({ description: '[002] the agent only helped (changed the price, nothing material) a deal another agent had agreed: it does not take the order from that agent' })
  @IsOptional() @IsBoolean()
  assistOnly?: boolean;

  @ApiPropertyOptional({ description: '[002 订单归属 3] a contact after payment: the customer bought more / the order changed on the agent\'s advice (required to claim a paid order)' })
  @IsOptional() @IsBoolean()
  orderChanged?: boolean;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Channel and evidence (电话/微信/QQ: keep the screenshot 15 days [002])' })
  @IsOptional() @IsString() @Matches(TEXT, { message: 'note must not contain NUL characters' }) @MaxLength(2000)
  note?: string;
}

export class OrderContactDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agentId: string;
  @ApiProperty({ type: Date }) contactedAt: Date;
  @ApiProperty() assistOnly: boolean;
  @ApiProperty() orderChanged: boolean;
  @ApiProperty({ description: 'Whether this contact may decide the attribution (before payment, or after it with a changed order)' }) counts: boolean;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) recordedBy: string | null;
}

export class AttributedCaseDto {
  @ApiProperty({ description: 'Machine name of the case', example: 'return' }) module: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The order\'s attributed agent when the case was opened' }) attributedAgentId: string | null;
}

export class OrderAttributionDto {
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '[002 订单归属] the agent the order is attributed to (the order\'s assigneeId)' }) agentId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The contact that decided it' }) decidedBy: string | null;
  @ApiProperty({ type: Date, nullable: true }) paidAt: Date | null;
  @ApiProperty({ type: [OrderContactDto], description: 'Every contact recorded, oldest first' }) contacts: OrderContactDto[];
  @ApiProperty({ type: [AttributedCaseDto], description: 'Cases about the order and the agent each recorded at opening' }) cases: AttributedCaseDto[];
}
