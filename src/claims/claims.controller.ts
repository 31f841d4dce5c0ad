import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { EvidenceUpload, MultipartRequest } from '../kernel/attachments/multipart.js';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { AssignCaseDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { CLAIM_EVIDENCE_KINDS } from './claim.rules.js';
import { ClaimsService } from './claims.service.js';
import { ClaimCarrierDto, CloseClaimDto, RecoverClaimDto, RequestEvidenceDto, ResolveClaimDto, VerifyClaimDto } from './dto/claim-actions.dto.js';
import { ClaimDetailDto, ClaimEvidenceResponseDto, ClaimPageDto, ClaimResponseDto, ListClaimsQueryDto } from './dto/claim-response.dto.js';
import { CreateClaimDto } from './dto/create-claim.dto.js';

@ApiTags('claims')
@ApiBearerAuth()
@Controller('api/v1/claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Post()
  @Roles(Role.Agent, Role.Supervisor, Role.Admin)
  @ApiOperation({ summary: 'Register a claim (事务登记): broken, leak_minor, leak_major, wrong_item, missing_item; due 16:00 the day reported' })
  @ApiCreatedResponse({ type: ClaimDetailDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateClaimDto): Promise<ClaimDetailDto> {
    return this.claims.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Claims, newest first; the case filters (shopId, status, assigneeId, from/to, overdue) and suspectedReuse' })
  @ApiOkResponse({ type: ClaimPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListClaimsQueryDto): Promise<Page<ClaimResponseDto>> {
    return this.claims.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One claim: lines, evidence with suspected reuse, ruling, money, timeline and allowed actions' })
  @ApiOkResponse({ type: ClaimDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<ClaimDetailDto> {
    return this.claims.get(caller, id);
  }

  @Post(':id/evidence')
  @EvidenceUpload({ kinds: CLAIM_EVIDENCE_KINDS })
  @ApiOperation({ summary: 'Upload photos (multipart; file or outer_package, inner_package, item, waybill): reported / awaiting_evidence → evidence_received, the 16:00 clock restarts' })
  @ApiCreatedResponse({ type: ClaimEvidenceResponseDto })
  evidence(@CurrentCaller() caller: Caller, @Param('id') id: string, @MultipartRequest() req: FastifyRequest): Promise<ClaimEvidenceResponseDto> {
    return this.claims.addEvidence(caller, id, req);
  }

  @Post(':id/request-evidence')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask the customer for photos; the 16:00 clock pauses until the upload [002]' })
  @ApiOkResponse({ type: ClaimDetailDto })
  requestEvidence(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RequestEvidenceDto): Promise<ClaimDetailDto> {
    return this.claims.act(caller, id, 'request-evidence', dto);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'The ruling: verified or rejected (422 says what is missing: authenticity, responsibility, package photos, weights)' })
  @ApiOkResponse({ type: ClaimDetailDto })
  verify(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: VerifyClaimDto): Promise<ClaimDetailDto> {
    return this.claims.act(caller, id, 'verify', dto);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve as the type allows (422 naming the allowed resolutions): reship, refund, gift_next_order' })
  @ApiOkResponse({ type: ClaimDetailDto })
  resolve(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ResolveClaimDto): Promise<ClaimDetailDto> {
    return this.claims.act(caller, id, 'resolve', dto);
  }

  @Post(':id/claim-carrier')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim compensation from the carrier (supervisor) [000 努力做到零赔付]' })
  @ApiOkResponse({ type: ClaimDetailDto })
  claimCarrier(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ClaimCarrierDto): Promise<ClaimDetailDto> {
    return this.claims.act(caller, id, 'claim-carrier', dto);
  }

  @Post(':id/recover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record what the carrier paid (0 allowed) and close: full, partial or none' })
  @ApiOkResponse({ type: ClaimDetailDto })
  recover(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RecoverClaimDto): Promise<ClaimDetailDto> {
    return this.claims.act(caller, id, 'recover', dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a resolved claim without a carrier claim' })
  @ApiOkResponse({ type: ClaimDetailDto })
  close(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CloseClaimDto): Promise<ClaimDetailDto> {
    return this.claims.act(caller, id, 'close', dto);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a staff member of the merchant (null unassigns); the status stays' })
  @ApiOkResponse({ type: ClaimDetailDto })
  assign(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignCaseDto): Promise<ClaimDetailDto> {
    return this.claims.assign(caller, id, dto);
  }

  @Post(':id/note')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a note to the timeline; the status stays' })
  @ApiOkResponse({ type: ClaimDetailDto })
  note(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: NoteCaseDto): Promise<ClaimDetailDto> {
    return this.claims.note(caller, id, dto);
  }
}
