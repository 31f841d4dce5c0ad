import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { AssignCaseDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { CreateReturnDto, ReturnSettingsDto, ReturnSettingsResponseDto } from './dto/create-return.dto.js';
import {
  ApproveReturnDto, CancelReturnDto, CloseReturnDto, CompleteReturnDto, InspectReturnDto, ReceiveReturnDto, RefundReturnDto, RejectReturnDto, ShipExchangeDto,
} from './dto/return-actions.dto.js';
import { ListReturnsQueryDto, ReturnDetailDto, ReturnPageDto, ReturnResponseDto } from './dto/return-response.dto.js';
import { ReturnsService } from './returns.service.js';

@ApiTags('returns')
@ApiBearerAuth()
@Controller('api/v1/returns')
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Post()
  @Roles(Role.Agent, Role.Supervisor, Role.Admin)
  @ApiOperation({ summary: 'Register a return (退换货登记): refund_only, return_refund or exchange' })
  @ApiCreatedResponse({ type: ReturnDetailDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateReturnDto): Promise<ReturnDetailDto> {
    return this.returns.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Returns, newest first; filter by shop, status, assignee, dates, overdue, order, type, reason' })
  @ApiOkResponse({ type: ReturnPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListReturnsQueryDto): Promise<Page<ReturnResponseDto>> {
    return this.returns.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One return with its lines, refunds, timeline and allowedActions' })
  @ApiOkResponse({ type: ReturnDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<ReturnDetailDto> {
    return this.returns.get(caller, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve (退款审核): agents up to the merchant limit, above it a supervisor (403 names the limit)' })
  @ApiOkResponse({ type: ReturnDetailDto })
  approve(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ApproveReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'approve', dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject with a reason (from requested, or after a failed inspection)' })
  @ApiOkResponse({ type: ReturnDetailDto })
  reject(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RejectReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'reject', dto);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Warehouse received a returned parcel: per line restock / damaged / missing → received (nothing missing) or partially_received' })
  @ApiOkResponse({ type: ReturnDetailDto })
  receive(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ReceiveReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'receive', dto);
  }

  @Post(':id/inspect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Inspect the returned goods: pass or fail (with a note)' })
  @ApiOkResponse({ type: ReturnDetailDto })
  inspect(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: InspectReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'inspect', dto);
  }

  @Post(':id/refund')
  @HttpCode(200)
  @ApiOperation({ summary: 'Write the refund (422 when refunds of the order would exceed what was paid)' })
  @ApiOkResponse({ type: ReturnDetailDto })
  refund(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RefundReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'refund', dto);
  }

  @Post(':id/ship-exchange')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ship the replacement goods of an exchange (creates the shipment)' })
  @ApiOkResponse({ type: ReturnDetailDto })
  shipExchange(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ShipExchangeDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'ship-exchange', dto);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete an exchange' })
  @ApiOkResponse({ type: ReturnDetailDto })
  complete(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CompleteReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'complete', dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a received return without a refund, with a reason (e.g. the replacement already went out)' })
  @ApiOkResponse({ type: ReturnDetailDto })
  close(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CloseReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'close', dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'The buyer withdrew' })
  @ApiOkResponse({ type: ReturnDetailDto })
  cancel(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CancelReturnDto): Promise<ReturnDetailDto> {
    return this.returns.act(caller, id, 'cancel', dto);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a staff member of the merchant (null unassigns; 422 for anyone else); the status stays' })
  @ApiOkResponse({ type: ReturnDetailDto })
  assign(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignCaseDto): Promise<ReturnDetailDto> {
    return this.returns.assign(caller, id, dto);
  }

  @Post(':id/note')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a note to the timeline; the status stays' })
  @ApiOkResponse({ type: ReturnDetailDto })
  note(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: NoteCaseDto): Promise<ReturnDetailDto> {
    return this.returns.note(caller, id, dto);
  }
}

@ApiTags('returns')
@ApiBearerAuth()
@Controller('api/v1/settings/returns')
export class ReturnSettingsController {
  constructor(private readonly returns: ReturnsService) {}

  // GET is the registry's GET /api/v1/settings/returns.
  @Put()
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Set the amount an agent may approve alone (admin)' })
  @ApiOkResponse({ type: ReturnSettingsResponseDto })
  put(@CurrentCaller() caller: Caller, @Body() dto: ReturnSettingsDto): Promise<ReturnSettingsResponseDto> {
    return this.returns.putSettings(caller, dto);
  }
}
