import { ApiProperty } from '@nestjs/swagger';
import { AttachmentKind, AttachmentMime } from '../attachment-kind.js';
import type { Attachment, ReuseHit, SavedAttachments } from '../attachments.service.js';

/** One file attached to a case. The bytes are at `url`, for the merchant's staff only. */
export class AttachmentResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'claim', description: 'The case module (machine name) the file belongs to' }) caseModule: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: AttachmentKind, nullable: true, description: 'What the file shows, when the uploader said' }) kind: AttachmentKind | null;
  @ApiProperty({ enum: AttachmentMime, description: 'Judged from the content, not the name or the declared type' }) mime: AttachmentMime;
  @ApiProperty({ description: 'Bytes as uploaded' }) size: number;
  @ApiProperty({ description: 'sha256 of the bytes as uploaded (hex)' }) sha256: string;
  @ApiProperty({ type: String, nullable: true, description: 'The client\'s file name, sanitised; for display only' }) originalName: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) uploadedBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ example: '/api/v1/attachments/6f1c…', description: 'GET it with the bearer token; photos come without EXIF location' }) url: string;
}

/** The same bytes already attached to another case of the merchant (possible reuse of a photo). */
export class AttachmentReuseDto {
  @ApiProperty({ format: 'uuid', description: 'The attachment of this upload' }) attachmentId: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ description: 'Module of the other case' }) caseModule: string;
  @ApiProperty({ format: 'uuid', description: 'The other case' }) caseId: string;
  @ApiProperty({ format: 'uuid', description: 'The attachment in the other case' }) otherAttachmentId: string;
  @ApiProperty({ format: 'date-time', description: 'When the other case got it' }) attachedAt: Date;
}

export class AttachmentUploadResponseDto {
  @ApiProperty({ type: [AttachmentResponseDto], description: 'One per distinct file of the upload, in order; a file the case already had is returned as it was' })
  attachments: AttachmentResponseDto[];
  @ApiProperty({ type: [AttachmentReuseDto] }) reuse: AttachmentReuseDto[];
}

export function toAttachmentResponse(a: Attachment): AttachmentResponseDto {
  return {
    id: a.id,
    caseModule: a.caseModule,
    caseId: a.caseId,
    kind: a.kind,
    mime: a.mime,
    size: a.size,
    sha256: a.sha256,
    originalName: a.originalName,
    uploadedBy: a.uploadedBy,
    createdAt: a.createdAt,
    url: `/api/v1/attachments/${a.id}`,
  };
}

export function toAttachmentReuse(r: ReuseHit): AttachmentReuseDto {
  return { attachmentId: r.attachmentId, sha256: r.sha256, caseModule: r.caseModule, caseId: r.caseId, otherAttachmentId: r.otherAttachmentId, attachedAt: r.attachedAt };
}

export function toAttachmentUploadResponse(s: SavedAttachments): AttachmentUploadResponseDto {
  return { attachments: s.attachments.map(toAttachmentResponse), reuse: s.reuse.map(toAttachmentReuse) };
}
