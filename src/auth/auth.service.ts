import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hashPassword, verifyPassword } from '../kernel/auth/password.js';
import { SessionStore } from '../kernel/auth/session.store.js';
import { Conflict, Unauthenticated } from '../kernel/errors/domain-errors.js';
import { toStaffResponse } from '../staff/dto.js';
import { Staff } from '../staff/staff.entity.js';
import { LoginDto, LoginResponseDto } from './dto.js';
import { loginAccount, LoginThrottle } from './login-throttle.service.js';

@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    @InjectRepository(Staff) private readonly staff: Repository<Staff>,
    private readonly sessions: SessionStore,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Staff emails are unique per merchant, not globally: refusing an email because another merchant
   * uses it told one merchant who works for another (issue 9, fault 11). So an email may name
   * accounts in several merchants, and login tries the password against each of them: the one
   * account it opens is the caller's. When it opens several (the same person, same password, in
   * two merchants) the caller proved to own all of them and is asked to pick with `merchantId`.
   */
  async login(dto: LoginDto): Promise<LoginResponseDto> {
    const account = loginAccount(dto.email);
    const attempt = await this.throttle.begin(account);
    const qb = this.staff.createQueryBuilder('s').where('lower(s.email) = :email', { email: account });
    if (dto.merchantId) qb.andWhere('s.merchant_id = :m', { m: dto.merchantId });
    const candidates = await qb.getMany();
    // Spend the time of a hash check whether or not the email exists; the checks run side by side.
    this.dummyHash ??= hashPassword('not-a-real-password');
    const hashes = candidates.length ? candidates.map((c) => c.passwordHash) : [await this.dummyHash];
    const checks = await Promise.all(hashes.map((h) => verifyPassword(dto.password, h)));
    const opened = candidates.filter((c, i) => checks[i] && c.active);
    if (!opened.length) {
      await this.throttle.failed(account, attempt);
      throw new Unauthenticated('Invalid email or password');
    }
    await this.throttle.succeeded(account);
    if (opened.length > 1) {
      const merchants: Array<{ id: string; name: string }> = await this.staff.manager.query('SELECT id, name FROM merchants WHERE id = ANY($1) ORDER BY name, id', [
        opened.map((c) => c.merchantId),
      ]);
      throw new Conflict('This email and password open accounts in several merchants; send merchantId to choose one', { merchants });
    }
    const member = opened[0];
    const { token, expiresAt } = await this.sessions.issue(member.id, member.merchantId);
    return { accessToken: token, tokenType: 'Bearer', expiresAt, staff: toStaffResponse(member) };
  }
}
