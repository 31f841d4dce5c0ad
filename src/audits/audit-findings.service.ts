import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { InvalidInput, NotAllowed, RuleViolation } from '../kernel/errors/domain-errors.js';
import { mapPage, type Page, paginateSql, SqlFilter } from '../kernel/pagination/pagination.js';
import type { AuditSeverity } from './audit-finding.js';
import type { AuditFindingDto, CreateAuditFindingDto, ListAuditFindingsQueryDto } from './dto/audit-finding.dto.js';

interface FindingRow {
  id: string;
  agent_id: string;
  severity: AuditSeverity;
  note: string;
  order_id: string | null;
  found_at: Date;
  recorded_by: string | null;
  created_at: Date;
}

const toDto = (r: FindingRow): AuditFindingDto => ({
  id: r.id, agentId: r.agent_id, severity: r.severity, note: r.note, orderId: r.order_id, foundAt: r.found_at, recordedBy: r.recorded_by, createdAt: r.created_at,
});

/**
 * [002 绩效 七 后台审单失误] Audit errors supervisors find in agents' order audits ("认定 … 由客服主管
 * 每周统计", decided by the supervisors). The KPI sheet counts them with the audit errors claims record.
 */
@Injectable()
export class AuditFindingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(caller: Caller, dto: CreateAuditFindingDto): Promise<AuditFindingDto> {
    const now = new Date();
    const foundAt = dto.foundAt ? new Date(dto.foundAt) : now;
    if (Number.isNaN(foundAt.getTime())) throw new InvalidInput('Validation failed', [{ field: 'foundAt', errors: ['foundAt is not a date'] }]);
    if (foundAt.getTime() > now.getTime()) throw new RuleViolation(`foundAt ${foundAt.toISOString()} is in the future`, { foundAt: dto.foundAt });
    const staff: unknown[] = await this.db.query(`SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND role = 'agent'`, [dto.agentId, caller.merchantId]);
    if (!staff.length) throw new RuleViolation(`${dto.agentId} is not an agent of this merchant`, { agentId: dto.agentId });
    if (dto.orderId) {
      const order: unknown[] = await this.db.query('SELECT 1 FROM orders WHERE id = $1 AND merchant_id = $2', [dto.orderId, caller.merchantId]);
      if (!order.length) throw new RuleViolation(`order ${dto.orderId} is not an order of this merchant`, { orderId: dto.orderId });
    }
    const [row]: FindingRow[] = await this.db.query(
      `INSERT INTO audit_findings (merchant_id, agent_id, severity, note, order_id, found_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [caller.merchantId, dto.agentId, dto.severity, dto.note, dto.orderId ?? null, foundAt, caller.staffId ?? null],
    );
    return toDto(row);
  }

  /** Supervisors see every finding; an agent sees their own (to check their KPI sheet). */
  async list(caller: Caller, q: ListAuditFindingsQueryDto): Promise<Page<AuditFindingDto>> {
    if (caller.role === Role.Agent && q.agentId && q.agentId !== caller.staffId) throw new NotAllowed('an agent may list only their own audit findings');
    const f = new SqlFilter('merchant_id = ?', caller.merchantId);
    const agentId = caller.role === Role.Agent ? caller.staffId : q.agentId;
    if (agentId) f.add('agent_id = ?', agentId);
    if (q.severity) f.add('severity = ?', q.severity);
    if (q.from) f.add('found_at >= ?::timestamptz', q.from);
    if (q.to) f.add('found_at < ?::timestamptz', q.to);
    return mapPage(await paginateSql<FindingRow>(this.db, 'audit_findings', f, q), toDto);
  }
}
