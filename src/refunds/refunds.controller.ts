import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { CreateGoodwillRefundDto } from './dto/create-refund.dto.js';
import { RecordFailureDto, RecordManualDto, RetryRefundDto } from './dto/refund-actions.dto.js';
import { PutRefundChannelDto, RefundChannelResponseDto } from './dto/refund-channel.dto.js';
import { ListRefundsQueryDto, RefundDetailDto, RefundPageDto, RefundResponseDto } from './dto/refund-response.dto.js';
import { RefundChannelsService } from './refund-channels.service.js';
import { RefundLedgerService } from './refund-ledger.service.js';

@ApiTags('refunds')
@ApiBearerAuth()
@Controller('api/v1/refunds')
export class RefundsController {
  constructor(private readonly ledger: RefundLedgerService) {}

  @Post()
  @Roles(Role.Supervisor, Role.Admin)
  @ApiOperation({ summary: 'Goodwill refund on an order (supervisor); 422 when refunds would exceed what was paid' })
  @ApiCreatedResponse({ type: RefundResponseDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateGoodwillRefundDto): Promise<RefundResponseDto> {
    return this.ledger.createGoodwill(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The refund ledger, newest first; filter by shop, order, status or source case' })
  @ApiOkResponse({ type: RefundPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListRefundsQueryDto): Promise<Page<RefundResponseDto>> {
    return this.ledger.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One refund with its timeline and allowedActions' })
  @ApiOkResponse({ type: RefundDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<RefundDetailDto> {
    return this.ledger.get(caller, id);
  }

  @Post(':id/record-manual')
  @HttpCode(200)
  @ApiOperation({ summary: 'Finance paid a manual refund: record the external reference (pending → succeeded)' })
  @ApiOkResponse({ type: RefundResponseDto })
  recordManual(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RecordManualDto): Promise<RefundResponseDto> {
    return this.ledger.recordManual(caller, id, dto);
  }

  @Post(':id/record-failure')
  @HttpCode(200)
  @ApiOperation({ summary: 'Finance could not pay a manual refund (pending → failed)' })
  @ApiOkResponse({ type: RefundResponseDto })
  recordFailure(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RecordFailureDto): Promise<RefundResponseDto> {
    return this.ledger.recordFailure(caller, id, dto);
  }

  @Post(':id/retry')
  @Roles(Role.Agent, Role.Supervisor, Role.Admin, Role.Finance)
  @ApiOperation({ summary: 'Retry a failed refund: a new pending row for the same money (the failed row stays)' })
  @ApiCreatedResponse({ type: RefundResponseDto })
  retry(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RetryRefundDto): Promise<RefundResponseDto> {
    return this.ledger.retry(caller, id, dto);
  }
}

@ApiTags('refunds')
@ApiBearerAuth()
@Controller('api/v1/refund-channels')
export class RefundChannelsController {
  constructor(private readonly channels: RefundChannelsService) {}

  @Get(':shopId')
  @Roles(Role.Admin, Role.Finance)
  @ApiOperation({ summary: 'How refunds of this shop are executed; the access token is never returned (admin, finance)' })
  @ApiOkResponse({ type: RefundChannelResponseDto })
  get(@CurrentCaller() caller: Caller, @Param('shopId') shopId: string): Promise<RefundChannelResponseDto> {
    return this.channels.get(caller, shopId);
  }

  @Put(':shopId')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'How refunds of this shop are executed: Shopify API credentials, or the generic refund webhook URL (admin)' })
  @ApiOkResponse({ type: RefundChannelResponseDto })
  put(@CurrentCaller() caller: Caller, @Param('shopId') shopId: string, @Body() dto: PutRefundChannelDto): Promise<RefundChannelResponseDto> {
    return this.channels.put(caller, shopId, dto);
  }
}
