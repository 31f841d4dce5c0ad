/**
 * A test-only case module that takes evidence the way a real one does: a controller route of a
 * few lines with @EvidenceUpload, and a service that checks its case and hands the request to
 * the kernel's AttachmentsService. Its cases are the widgets of widget-machine.ts (the spec
 * creates the table).
 */
import { Controller, Get, Injectable, Module, Param, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AttachmentKind, AttachmentMime, IMAGE_MIMES } from '../../src/kernel/attachments/attachment-kind.js';
import { AttachmentsService } from '../../src/kernel/attachments/attachments.service.js';
import { toAttachmentResponse, toAttachmentUploadResponse } from '../../src/kernel/attachments/dto/attachment.dto.js';
import { EvidenceUpload, MultipartRequest } from '../../src/kernel/attachments/multipart.js';
import { CurrentCaller } from '../../src/kernel/auth/decorators.js';
import type { Caller } from '../../src/kernel/auth/roles.js';
import { NotFound } from '../../src/kernel/errors/domain-errors.js';
import { isUuid } from '../../src/kernel/state-machine/state-machine.engine.js';
import { widgetMachine, WidgetTestModule } from './widget-machine.js';

export const PHOTO_KINDS = [AttachmentKind.OuterPackage, AttachmentKind.InnerPackage, AttachmentKind.Item, AttachmentKind.Waybill] as const;
const TRANSCRIPT_MIMES = [...IMAGE_MIMES, AttachmentMime.Pdf];

@Injectable()
export class WidgetEvidenceService {
  constructor(
    private readonly attachments: AttachmentsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  private async throwIfMissing(caller: Caller, id: string): Promise<void> {
    const rows = isUuid(id) ? await this.db.query('SELECT 1 FROM test_widgets WHERE id = $1 AND merchant_id = $2', [id, caller.merchantId]) : [];
    if (!rows.length) throw new NotFound('widget', id);
  }

  async addPhotos(caller: Caller, id: string, req: FastifyRequest) {
    await this.throwIfMissing(caller, id);
    const saved = await this.attachments.saveFromMultipart(req, { merchantId: caller.merchantId, caseModule: widgetMachine.name, caseId: id, uploadedBy: caller.staffId ?? null, kinds: PHOTO_KINDS });
    return toAttachmentUploadResponse(saved);
  }

  async addTranscripts(caller: Caller, id: string, req: FastifyRequest) {
    await this.throwIfMissing(caller, id);
    const saved = await this.attachments.saveFromMultipart(req, {
      merchantId: caller.merchantId,
      caseModule: widgetMachine.name,
      caseId: id,
      uploadedBy: caller.staffId ?? null,
      kinds: [AttachmentKind.ChatTranscript],
      mimes: TRANSCRIPT_MIMES,
    });
    return toAttachmentUploadResponse(saved);
  }

  async list(caller: Caller, id: string) {
    await this.throwIfMissing(caller, id);
    return (await this.attachments.listForCase(caller.merchantId, widgetMachine.name, id)).map(toAttachmentResponse);
  }
}

@Controller('api/v1/widgets')
export class WidgetEvidenceController {
  constructor(private readonly evidence: WidgetEvidenceService) {}

  @Post(':id/evidence')
  @EvidenceUpload({ kinds: PHOTO_KINDS })
  addPhotos(@CurrentCaller() caller: Caller, @Param('id') id: string, @MultipartRequest() req: FastifyRequest) {
    return this.evidence.addPhotos(caller, id, req);
  }

  @Post(':id/transcripts')
  @EvidenceUpload({ kinds: [AttachmentKind.ChatTranscript], mimes: TRANSCRIPT_MIMES })
  addTranscripts(@CurrentCaller() caller: Caller, @Param('id') id: string, @MultipartRequest() req: FastifyRequest) {
    return this.evidence.addTranscripts(caller, id, req);
  }

  @Get(':id/evidence')
  list(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.evidence.list(caller, id);
  }
}

@Module({ imports: [WidgetTestModule], controllers: [WidgetEvidenceController], providers: [WidgetEvidenceService] })
export class WidgetEvidenceTestModule {}
