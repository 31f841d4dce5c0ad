import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { RefundMethod } from '../refund-status.js';

const URL_OPTS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** How refunds of one shop are executed; omitted fields keep their value. */
export class PutRefundChannelDto {
  @ApiPropertyOptional({ description: 'Shopify: the shop\'s Admin API base URL', example: 'https://my-shop.myshopify.com' })
  @IsOptional() @IsUrl(URL_OPTS) @MaxLength(500)
  apiBaseUrl?: string;

  @ApiPropertyOptional({ description: 'Shopify: Admin API access token; stored, never returned' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500)
  accessToken?: string;

  @ApiPropertyOptional({ description: 'Shopify: Admin API version', example: '2024-10' })
  @IsOptional() @Matches(/^\d{4}-\d{2}$|^unstable$/)
  apiVersion?: string;

  @ApiPropertyOptional({ description: 'Shopify: gateway used when the order has no sale/capture transaction', example: 'shopify_payments' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  gateway?: string;

  @ApiPropertyOptional({ description: 'Generic shops: endpoint that receives signed refund.requested webhooks', example: 'https://erp.example.com/refunds' })
  @IsOptional() @IsUrl(URL_OPTS) @MaxLength(500)
  refundWebhookUrl?: string;

  @ApiPropertyOptional({ description: 'Generic shops: endpoint that receives signed review.reply webhooks (public replies to reviews, SPEC §9)', example: 'https://erp.example.com/review-replies' })
  @IsOptional() @IsUrl(URL_OPTS) @MaxLength(500)
  replyWebhookUrl?: string;
}

export class RefundChannelResponseDto {
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ enum: ['shopify', 'woocommerce', 'generic'] }) platform: string;
  @ApiProperty({ enum: RefundMethod, description: 'How the next refund of this shop will be executed' }) method: RefundMethod;
  @ApiProperty({ type: String, nullable: true }) apiBaseUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) apiVersion: string | null;
  @ApiProperty({ type: String, nullable: true }) gateway: string | null;
  @ApiProperty({ type: String, nullable: true }) refundWebhookUrl: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Where public review replies go (generic shops); none: replies are kept for staff to paste' }) replyWebhookUrl: string | null;
  @ApiProperty({ description: 'Whether an access token is stored (it is never returned)' }) hasAccessToken: boolean;
}
