import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { hashPassword } from '../kernel/auth/password.js';
import type { Caller } from '../kernel/auth/roles.js';
import { Role } from '../kernel/auth/roles.js';
import { SessionStore } from '../kernel/auth/session.store.js';
import { Conflict, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { mapPage, Page, paginate } from '../kernel/pagination/pagination.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import { CreateStaffDto, ListStaffQueryDto, StaffResponseDto, toStaffResponse, UpdateStaffDto } from './dto.js';
import { Staff } from './staff.entity.js';

@Injectable()
export class StaffService {
  constructor(
    @InjectRepository(Staff) private readonly repo: Repository<Staff>,
    private readonly sessions: SessionStore,
  ) {}

  async list(caller: Caller, q: ListStaffQueryDto): Promise<Page<StaffResponseDto>> {
    const qb = this.repo.createQueryBuilder('s').where('s.merchant_id = :m', { m: caller.merchantId });
    if (q.role) qb.andWhere('s.role = :role', { role: q.role });
    return mapPage(await paginate(qb, 's', q), toStaffResponse);
  }

  async get(caller: Caller, id: string): Promise<StaffResponseDto> {
    return toStaffResponse(await this.find(caller, id));
  }

  async create(caller: Caller, dto: CreateStaffDto): Promise<StaffResponseDto> {
    const entity = this.repo.create({
      merchantId: caller.merchantId,
      email: dto.email.toLowerCase(),
      name: dto.name,
      role: dto.role,
      passwordHash: await hashPassword(dto.password),
      active: true,
    });
    try {
      return toStaffResponse(await this.repo.save(entity));
    } catch (err) {
      // Unique per merchant (staff_merchant_email_uq): the conflict is always one of the caller's own staff.
      if (err instanceof QueryFailedError && (err as { code?: string }).code === '23505') throw new Conflict(`A staff member with email ${dto.email} already exists`);
      throw err;
    }
  }

  async update(caller: Caller, id: string, dto: UpdateStaffDto): Promise<StaffResponseDto> {
    const member = await this.find(caller, id);
    if (member.id === caller.staffId && (dto.active === false || (dto.role && dto.role !== Role.Admin))) {
      throw new RuleViolation('An admin cannot deactivate or demote themselves');
    }
    if (dto.name !== undefined) member.name = dto.name;
    if (dto.role !== undefined) member.role = dto.role;
    if (dto.active !== undefined) member.active = dto.active;
    if (dto.password !== undefined) member.passwordHash = await hashPassword(dto.password);
    const saved = await this.repo.save(member);
    if (dto.active === false || dto.password !== undefined) await this.sessions.revokeAllFor(member.id);
    else if (dto.role !== undefined || dto.active !== undefined) this.sessions.forget(member.id);
    return toStaffResponse(saved);
  }

  private async find(caller: Caller, id: string): Promise<Staff> {
    const member = isUuid(id) ? await this.repo.findOne({ where: { id, merchantId: caller.merchantId } }) : null;
    if (!member) throw new NotFound('staff member', id);
    return member;
  }
}
