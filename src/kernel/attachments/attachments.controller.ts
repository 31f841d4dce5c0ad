import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/decorators.js';
import type { Caller } from '../auth/roles.js';
import { AttachmentMime } from './attachment-kind.js';
import { AttachmentsService } from './attachments.service.js';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':id')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'The file of an attachment (case evidence), for the merchant\'s staff; photos come without EXIF/XMP location' })
  @ApiProduces(...Object.values(AttachmentMime))
  @ApiOkResponse({ description: 'The bytes, with Content-Type by content and a server-made file name', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'Unknown id, or another merchant\'s' })
  async get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<StreamableFile> {
    const f = await this.attachments.open(caller.merchantId, id);
    const options = { type: f.mime, length: f.length, disposition: `${f.inline ? 'inline' : 'attachment'}; filename="${f.fileName}"` };
    return Buffer.isBuffer(f.body) ? new StreamableFile(f.body, options) : new StreamableFile(f.body, options);
  }
}
