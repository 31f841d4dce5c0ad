import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentsRepository } from './attachments.repository.js';
import { AttachmentsService } from './attachments.service.js';
import { ATTACHMENT_STORAGE } from './storage/attachment-storage.js';
import { LocalDiskStorage } from './storage/local-disk.storage.js';

/** Case evidence (SPEC §8), part of the kernel: upload helpers, storage, serving. */
@Module({
  controllers: [AttachmentsController],
  providers: [
    AttachmentsRepository,
    AttachmentsService,
    // Another AttachmentStorage (an S3-compatible bucket) is bound here; see docs/attachments.md.
    { provide: ATTACHMENT_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskStorage(join(config.dataDir, 'uploads')) },
  ],
  exports: [AttachmentsService, ATTACHMENT_STORAGE],
})
export class AttachmentsModule {}
