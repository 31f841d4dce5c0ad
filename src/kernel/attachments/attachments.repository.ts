import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AttachmentKind, AttachmentMime } from './attachment-kind.js';

export interface AttachmentRow {
  id: string;
  merchant_id: string;
  case_module: string;
  case_id: string;
  sha256: string;
  mime: AttachmentMime;
  size: number;
  kind: AttachmentKind | null;
  original_name: string | null;
  uploaded_by: string | null;
  created_at: Date;
}

export interface NewAttachmentRow {
  sha256: string;
  mime: AttachmentMime;
  size: number;
  kind: AttachmentKind | null;
  originalName: string | null;
}

export interface CaseRef {
  merchantId: string;
  caseModule: string;
  caseId: string;
}

/** Another case of the merchant that holds the same bytes. */
export interface ReuseRow {
  sha256: string;
  case_module: string;
  case_id: string;
  attachment_id: string;
  created_at: Date;
}

const COLUMNS = 'id, merchant_id, case_module, case_id, sha256, mime, size, kind, original_name, uploaded_by, created_at';

@Injectable()
export class AttachmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findForCase(ref: CaseRef, manager: EntityManager = this.db.manager): Promise<AttachmentRow[]> {
    return manager.query(`SELECT ${COLUMNS} FROM attachments WHERE merchant_id = $1 AND case_module = $2 AND case_id = $3 ORDER BY seq`, [
      ref.merchantId,
      ref.caseModule,
      ref.caseId,
    ]);
  }

  async findById(merchantId: string, id: string): Promise<AttachmentRow | null> {
    const rows: AttachmentRow[] = await this.db.query(`SELECT ${COLUMNS} FROM attachments WHERE id = $1 AND merchant_id = $2`, [id, merchantId]);
    return rows[0] ?? null;
  }

  /** Serialises uploads to one case until the transaction ends, so the per-case count holds. */
  async lockCase(manager: EntityManager, ref: CaseRef): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`attachments:${ref.merchantId}:${ref.caseModule}:${ref.caseId}`]);
  }

  /** Inserts the rows not yet on the case (same hash = same attachment) and returns every row asked for, in order. */
  async insertMany(manager: EntityManager, ref: CaseRef, uploadedBy: string | null, items: NewAttachmentRow[]): Promise<AttachmentRow[]> {
    if (!items.length) return [];
    await manager.query(
      `INSERT INTO attachments (merchant_id, case_module, case_id, sha256, mime, size, kind, original_name, uploaded_by)
       SELECT $1, $2, $3, x.sha256, x.mime, x.size, x.kind, x.original_name, $4
       FROM unnest($5::text[], $6::text[], $7::int[], $8::text[], $9::text[]) WITH ORDINALITY AS x(sha256, mime, size, kind, original_name, n)
       ORDER BY x.n
       ON CONFLICT (merchant_id, case_module, case_id, sha256) DO NOTHING`,
      [
        ref.merchantId,
        ref.caseModule,
        ref.caseId,
        uploadedBy,
        items.map((i) => i.sha256),
        items.map((i) => i.mime),
        items.map((i) => i.size),
        items.map((i) => i.kind),
        items.map((i) => i.originalName),
      ],
    );
    const rows: AttachmentRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM attachments WHERE merchant_id = $1 AND case_module = $2 AND case_id = $3 AND sha256 = ANY($4::text[])`,
      [ref.merchantId, ref.caseModule, ref.caseId, items.map((i) => i.sha256)],
    );
    const bySha = new Map(rows.map((r) => [r.sha256, r]));
    return [...new Set(items.map((i) => i.sha256))].map((sha) => bySha.get(sha)!);
  }

  /** Other cases of the merchant (any module) holding any of these hashes; the first attachment of each. */
  findReuse(merchantId: string, sha256s: string[], exclude: { caseModule: string; caseId: string }): Promise<ReuseRow[]> {
    if (!sha256s.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT DISTINCT ON (sha256, case_module, case_id) sha256, case_module, case_id, id AS attachment_id, created_at
       FROM attachments
       WHERE merchant_id = $1 AND sha256 = ANY($2::text[]) AND NOT (case_module = $3 AND case_id = $4)
       ORDER BY sha256, case_module, case_id, seq`,
      [merchantId, sha256s, exclude.caseModule, exclude.caseId],
    );
  }
}
