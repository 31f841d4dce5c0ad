import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hashPassword, verifyPassword } from '../kernel/auth/password.js';
import { SessionStore } from '../kernel/auth/session.store.js';
import { Unauthenticated } from '../kernel/errors/domain-errors.js';
import { toStaffResponse } from '../staff/dto.js';
import { Staff } from '../staff/staff.entity.js';
import { LoginDto, LoginResponseDto } from './dto.js';

@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    @InjectRepository(Staff) private readonly staff: Repository<Staff>,
    private readonly sessions: SessionStore,
  ) {}

  async login(dto: LoginDto): Promise<LoginResponseDto> {
    const member = await this.staff.createQueryBuilder('s').where('lower(s.email) = lower(:email)', { email: dto.email }).getOne();
    // Spend the same time whether or not the email exists.
    this.dummyHash ??= hashPassword('not-a-real-password');
    const ok = await verifyPassword(dto.password, member?.passwordHash ?? (await this.dummyHash));
    if (!member || !ok || !member.active) throw new Unauthenticated('Invalid email or password');
    const { token, expiresAt } = await this.sessions.issue(member.id, member.merchantId);
    return { accessToken: token, tokenType: 'Bearer', expiresAt, staff: toStaffResponse(member) };
  }
}
