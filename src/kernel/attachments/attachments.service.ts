import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { InvalidInput, NotFound, PayloadTooLarge, RuleViolation, UnsupportedMediaType } from '../errors/domain-errors.js';
import { isUuid } from '../state-machine/state-machine.engine.js';
import { AttachmentKind, AttachmentMime, EXTENSION, IMAGE_MIMES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_CASE } from './attachment-kind.js';
import { type AttachmentRow, AttachmentsRepository, type CaseRef } from './attachments.repository.js';
import { sniffMime } from './content-sniff.js';
import { sanitizeFileName } from './file-name.js';
import { MalformedImage, stripLocation } from './metadata/index.js';
import { toUploadError, UPLOAD_LIMITS } from './multipart.js';
import { stageFile, type StagedFile, sweepStaging } from './staging.js';
import { ATTACHMENT_STORAGE, type AttachmentStorage } from './storage/attachment-storage.js';

export interface Attachment {
  id: string;
  merchantId: string;
  caseModule: string;
  caseId: string;
  sha256: string;
  mime: AttachmentMime;
  size: number;
  kind: AttachmentKind | null;
  originalName: string | null;
  uploadedBy: string | null;
  createdAt: Date;
}

/** A file of this upload whose bytes another case of the merchant already holds. */
export interface ReuseHit {
  attachmentId: string;
  sha256: string;
  caseModule: string;
  caseId: string;
  otherAttachmentId: string;
  attachedAt: Date;
}

export interface SavedAttachments {
  /** One per distinct file, in upload order; a file the case already had comes back as it was. */
  attachments: Attachment[];
  reuse: ReuseHit[];
}

export interface UploadOptions extends CaseRef {
  uploadedBy: string | null;
  /** Kinds a file may be sent under (as its form field name); a file sent as `file` has none. */
  kinds?: readonly AttachmentKind[];
  /** Types accepted; JPEG, PNG and WebP unless the case also takes PDF transcripts. */
  mimes?: readonly AttachmentMime[];
}

/** What GET /attachments/{id} sends. Images are already stripped of their location metadata. */
export interface ServedAttachment {
  body: Buffer | Readable;
  mime: AttachmentMime;
  length: number;
  /** Made by the server: `<kind|attachment>-<id>.<ext>`. */
  fileName: string;
  inline: boolean;
}

interface ReceivedFile extends StagedFile {
  mime: AttachmentMime;
  kind: AttachmentKind | null;
  originalName: string | null;
}

const TYPE_NAMES: Record<AttachmentMime, string> = {
  [AttachmentMime.Jpeg]: 'JPEG',
  [AttachmentMime.Png]: 'PNG',
  [AttachmentMime.Webp]: 'WebP',
  [AttachmentMime.Pdf]: 'PDF',
};
const KINDS = new Set<string>(Object.values(AttachmentKind));
const MB = MAX_ATTACHMENT_BYTES / 1024 / 1024;

export function toAttachment(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    caseModule: r.case_module,
    caseId: r.case_id,
    sha256: r.sha256,
    mime: r.mime,
    size: Number(r.size),
    kind: r.kind,
    originalName: r.original_name,
    uploadedBy: r.uploaded_by,
    createdAt: r.created_at,
  };
}

/**
 * Evidence files for any case module (SPEC §8). The module checks the case (existence, merchant,
 * status) and then hands the upload request here; this service judges each file by content,
 * enforces the limits, stores the bytes by sha256 and records who attached what to which case.
 */
@Injectable()
export class AttachmentsService implements OnModuleInit {
  private readonly stagingDir: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: AttachmentsRepository,
    @Inject(ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.stagingDir = join(config.dataDir, 'uploads', '.staging');
  }

  async onModuleInit(): Promise<void> {
    await sweepStaging(this.stagingDir);
  }

  /**
   * Receives every file of a multipart upload and attaches them to the case, all or nothing: a
   * refused file (type 415, size 413, count or kind 422, malformed 400) leaves the case as it was.
   */
  async saveFromMultipart(req: FastifyRequest, opts: UploadOptions): Promise<SavedAttachments> {
    if (typeof req.isMultipart !== 'function' || !req.isMultipart()) throw new UnsupportedMediaType('Send the files as multipart/form-data');
    const staged: StagedFile[] = [];
    try {
      const files = await this.receive(req, opts, staged);
      for (const f of files) await this.storage.put(f.sha256, createReadStream(f.path));
      const rows = await this.db.transaction(async (m) => {
        await this.repo.lockCase(m, opts);
        const existing = await this.repo.findForCase(opts, m);
        const held = new Set(existing.map((r) => r.sha256));
        // Checked again under the lock: two uploads to one case may have passed the early check together.
        this.throwIfOverCount(existing.length, files.filter((f) => !held.has(f.sha256)).length);
        return this.repo.insertMany(
          m,
          opts,
          opts.uploadedBy,
          files.map((f) => ({ sha256: f.sha256, mime: f.mime, size: f.size, kind: f.kind, originalName: f.originalName })),
        );
      });
      const attachments = rows.map(toAttachment);
      return { attachments, reuse: await this.findReuse(opts.merchantId, attachments, opts) };
    } finally {
      await Promise.all(staged.map((f) => rm(f.path, { force: true })));
    }
  }

  async listForCase(merchantId: string, caseModule: string, caseId: string): Promise<Attachment[]> {
    return (await this.repo.findForCase({ merchantId, caseModule, caseId })).map(toAttachment);
  }

  /** Other cases of the merchant (any module) that hold the bytes of these attachments. */
  async findReuse(merchantId: string, attachments: Array<Pick<Attachment, 'id' | 'sha256'>>, exclude: { caseModule: string; caseId: string }): Promise<ReuseHit[]> {
    const idBySha = new Map(attachments.map((a) => [a.sha256, a.id]));
    const rows = await this.repo.findReuse(merchantId, [...idBySha.keys()], exclude);
    return rows.map((r) => ({
      attachmentId: idBySha.get(r.sha256)!,
      sha256: r.sha256,
      caseModule: r.case_module,
      caseId: r.case_id,
      otherAttachmentId: r.attachment_id,
      attachedAt: r.created_at,
    }));
  }

  /** The file for the merchant's staff; another merchant's id is 404 like a missing one. */
  async open(merchantId: string, id: string): Promise<ServedAttachment> {
    const row = isUuid(id) ? await this.repo.findById(merchantId, id) : null;
    if (!row) throw new NotFound('attachment', id);
    const fileName = `${row.kind ?? 'attachment'}-${row.id}.${EXTENSION[row.mime]}`;
    const stream = await this.storage.get(row.sha256);
    if (IMAGE_MIMES.includes(row.mime)) {
      // SPEC §8: EXIF location stripped from what is served back (the stored original keeps it).
      const served = stripLocation(await buffer(stream), row.mime);
      return { body: served, mime: row.mime, length: served.length, fileName, inline: true };
    }
    return { body: stream, mime: row.mime, length: row.size, fileName, inline: false };
  }

  private async receive(req: FastifyRequest, opts: UploadOptions, staged: StagedFile[]): Promise<ReceivedFile[]> {
    const existing = await this.repo.findForCase(opts);
    const held = new Set(existing.map((r) => r.sha256));
    const files: ReceivedFile[] = [];
    const seen = new Set<string>();
    let added = 0;
    try {
      for await (const part of req.parts({ limits: UPLOAD_LIMITS })) {
        if (part.type === 'field') throw new InvalidInput(`Unexpected form field "${part.fieldname}": send only files, as "file" or under their kind${this.kindHint(opts)}`);
        const kind = this.kindOf(part.fieldname, opts);
        const originalName = sanitizeFileName(part.filename);
        const label = originalName ? `"${originalName}"` : `file #${files.length + 1}`;
        const file = await stageFile(part.file, this.stagingDir);
        staged.push(file);
        if (file.truncated) throw new PayloadTooLarge(`${label} is larger than ${MB} MB; each file may be at most ${MAX_ATTACHMENT_BYTES} bytes`);
        if (file.size === 0) throw new RuleViolation(`${label} is empty`);
        const mime = await this.judgeType(file, label, opts.mimes ?? IMAGE_MIMES);
        if (seen.has(file.sha256)) continue; // the same bytes twice in one upload are one attachment
        seen.add(file.sha256);
        if (!held.has(file.sha256)) this.throwIfOverCount(existing.length, ++added);
        files.push({ ...file, mime, kind, originalName });
      }
    } catch (err) {
      throw toUploadError(err);
    }
    if (!files.length) throw new InvalidInput(`The upload holds no file: send each file as "file" or under its kind${this.kindHint(opts)}`);
    return files;
  }

  private kindOf(field: string, opts: UploadOptions): AttachmentKind | null {
    if (field === 'file') return null;
    const allowed = opts.kinds ?? [];
    if ((allowed as readonly string[]).includes(field)) return field as AttachmentKind;
    if (KINDS.has(field)) {
      throw new RuleViolation(`Kind "${field}" is not used for ${opts.caseModule} evidence; allowed: ${allowed.length ? allowed.join(', ') : 'none (send files as "file")'}`);
    }
    throw new InvalidInput(`Unexpected form field "${field}": send each file as "file" or under its kind${this.kindHint(opts)}`);
  }

  private kindHint(opts: UploadOptions): string {
    return opts.kinds?.length ? ` (${opts.kinds.join(', ')})` : '';
  }

  /** The type by content only: the name and the declared Content-Type of the part are ignored. */
  private async judgeType(file: StagedFile, label: string, accepted: readonly AttachmentMime[]): Promise<AttachmentMime> {
    const mime = await sniffMime(file.head);
    const names = accepted.map((m) => TYPE_NAMES[m]).join(', ');
    if (!mime) throw new UnsupportedMediaType(`${label} is not a ${names} file by its content (its name and declared type are not trusted)`);
    if (!accepted.includes(mime)) throw new UnsupportedMediaType(`${label} is a ${TYPE_NAMES[mime]} file; accepted here: ${names}`);
    if (IMAGE_MIMES.includes(mime)) {
      // Refused now rather than failing when served: only a walkable image can be stripped.
      try {
        stripLocation(await readFile(file.path), mime);
      } catch (err) {
        if (err instanceof MalformedImage) throw new RuleViolation(`${label} is ${err.message}`);
        throw err;
      }
    }
    return mime;
  }

  private throwIfOverCount(existing: number, adding: number): void {
    if (existing + adding > MAX_ATTACHMENTS_PER_CASE) {
      throw new RuleViolation(`A case holds at most ${MAX_ATTACHMENTS_PER_CASE} attachments; this one has ${existing} and the upload would add ${adding}`);
    }
  }
}
