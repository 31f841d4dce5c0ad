import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AttachmentKind, AttachmentMime, IMAGE_MIMES } from '../kernel/attachments/attachment-kind.js';
import type { AttachmentUploadResponseDto } from '../kernel/attachments/dto/attachment.dto.js';
import { EvidenceUpload, MultipartRequest } from '../kernel/attachments/multipart.js';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { AssignCaseDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { CreateReviewDto, ReviewSettingsDto, ReviewSettingsResponseDto } from './dto/create-review.dto.js';
import {
  AcceptRemedyDto, CloseUnreachedDto, DeclineRemedyDto, DiagnoseReviewDto, FlagExtortionDto, LogContactDto, MarkUnrevisedDto, OfferRemedyDto,
  RefuseDemandDto, ReplyReviewDto, ReviseReviewDto,
} from './dto/review-actions.dto.js';
import { ListReviewsQueryDto, ReviewDetailDto, ReviewPageDto, ReviewResponseDto } from './dto/review-response.dto.js';
import { ReviewsService } from './reviews.service.js';

const STAFF = [Role.Agent, Role.Supervisor, Role.Admin] as const;

@ApiTags('reviews')
@ApiBearerAuth()
@Controller('api/v1/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Post()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Register a review (platforms without review webhooks): rating ≤ 3 opens the recovery at once, 4–5 is no_action' })
  @ApiCreatedResponse({ type: ReviewDetailDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateReviewDto): Promise<ReviewDetailDto> {
    return this.reviews.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Reviews, newest first; filters rating, publicReply, outcome, source and the case filters' })
  @ApiOkResponse({ type: ReviewPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListReviewsQueryDto): Promise<Page<ReviewResponseDto>> {
    return this.reviews.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One review case: ratings before and after, contact attempts, remedy, replies, evidence, timeline and allowed actions' })
  @ApiOkResponse({ type: ReviewDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<ReviewDetailDto> {
    return this.reviews.get(caller, id);
  }

  @Post(':id/log-contact')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log a call: reached, no_answer (next attempt at the next callable time) or refused [002 联系中差评]' })
  @ApiOkResponse({ type: ReviewDetailDto })
  logContact(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: LogContactDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'log-contact', dto);
  }

  @Post(':id/diagnose')
  @HttpCode(200)
  @ApiOperation({ summary: 'Root cause and whether our service caused it [002 服务引起的中差评]' })
  @ApiOkResponse({ type: ReviewDetailDto })
  diagnose(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: DiagnoseReviewDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'diagnose', dto);
  }

  @Post(':id/offer-remedy')
  @HttpCode(200)
  @ApiOperation({ summary: 'Offer a remedy; money above the cap, or after extortion was flagged, only by a supervisor (403 names the cap) [001]' })
  @ApiOkResponse({ type: ReviewDetailDto })
  offerRemedy(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: OfferRemedyDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'offer-remedy', dto);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'The customer accepted the remedy (a refund is written in the ledger); the revision is awaited 7 days' })
  @ApiOkResponse({ type: ReviewDetailDto })
  accept(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AcceptRemedyDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'accept', dto);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'The customer declined the remedy: closed, outcome declined' })
  @ApiOkResponse({ type: ReviewDetailDto })
  decline(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: DeclineRemedyDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'decline', dto);
  }

  @Post(':id/revise')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a revision to a better rating by hand (platforms without review webhooks): closed, outcome revised' })
  @ApiOkResponse({ type: ReviewDetailDto })
  revise(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ReviseReviewDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'revise', dto);
  }

  @Post(':id/mark-unrevised')
  @HttpCode(200)
  @ApiOperation({ summary: 'Not revised (also fired by the 7-day timer): closed, outcome unrevised' })
  @ApiOkResponse({ type: ReviewDetailDto })
  markUnrevised(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: MarkUnrevisedDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'mark-unrevised', dto);
  }

  @Post(':id/flag-extortion')
  @HttpCode(200)
  @ApiOperation({ summary: '[001 敲诈] flag extortion (evidence uploaded first): escalated; money afterwards only by a supervisor' })
  @ApiOkResponse({ type: ReviewDetailDto })
  flagExtortion(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: FlagExtortionDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'flag-extortion', dto);
  }

  @Post(':id/refuse-demand')
  @HttpCode(200)
  @ApiOperation({ summary: 'A supervisor refuses the extortion demand: closed, outcome extortion_refused' })
  @ApiOkResponse({ type: ReviewDetailDto })
  refuseDemand(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RefuseDemandDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'refuse-demand', dto);
  }

  @Post(':id/close-unreached')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop trying: the customer cannot be reached or refuses to talk: closed, outcome unreached' })
  @ApiOkResponse({ type: ReviewDetailDto })
  closeUnreached(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CloseUnreachedDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'close-unreached', dto);
  }

  @Post(':id/reply')
  @HttpCode(200)
  @ApiOperation({ summary: 'Public reply [002 负面评价回复及解释]: sent through the platform adapter, or kept for staff to paste (replies[].delivery = manual)' })
  @ApiOkResponse({ type: ReviewDetailDto })
  reply(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ReplyReviewDto): Promise<ReviewDetailDto> {
    return this.reviews.act(caller, id, 'reply', dto);
  }

  @Post(':id/evidence')
  @Roles(...STAFF)
  @EvidenceUpload({ kinds: [AttachmentKind.ChatTranscript], mimes: [...IMAGE_MIMES, AttachmentMime.Pdf] })
  @ApiOperation({ summary: '[001] evidence: chat screenshots (JPEG/PNG/WebP) and PDF transcripts, as `chat_transcript` or `file` parts' })
  addEvidence(@CurrentCaller() caller: Caller, @Param('id') id: string, @MultipartRequest() req: FastifyRequest): Promise<AttachmentUploadResponseDto> {
    return this.reviews.addEvidence(caller, id, req);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a staff member of the merchant (null unassigns); the status stays' })
  @ApiOkResponse({ type: ReviewDetailDto })
  assign(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignCaseDto): Promise<ReviewDetailDto> {
    return this.reviews.assign(caller, id, dto);
  }

  @Post(':id/note')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a note to the timeline; the status stays' })
  @ApiOkResponse({ type: ReviewDetailDto })
  note(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: NoteCaseDto): Promise<ReviewDetailDto> {
    return this.reviews.note(caller, id, dto);
  }
}

@ApiTags('reviews')
@ApiBearerAuth()
@Controller('api/v1/settings/reviews')
export class ReviewSettingsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @ApiOperation({ summary: 'The review remedy cap and the retry delay after no answer' })
  @ApiOkResponse({ type: ReviewSettingsResponseDto })
  get(@CurrentCaller() caller: Caller): Promise<ReviewSettingsResponseDto> {
    return this.reviews.getSettings(caller);
  }

  @Put()
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Set the remedy cap (percent of the order, at most an amount) and the retry delay after no answer (admin); omitted fields keep their value' })
  @ApiOkResponse({ type: ReviewSettingsResponseDto })
  put(@CurrentCaller() caller: Caller, @Body() dto: ReviewSettingsDto): Promise<ReviewSettingsResponseDto> {
    return this.reviews.putSettings(caller, dto);
  }
}
