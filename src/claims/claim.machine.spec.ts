import fc from 'fast-check';
import { DateTime } from 'luxon';
import { Role } from '../kernel/auth/roles.js';
import { BusinessCalendar } from '../kernel/calendar/business-calendar.js';
import { DEFAULT_WEEKLY_HOURS } from '../kernel/calendar/calendar-rules.js';
import { cnDefaultDays } from '../kernel/calendar/cn-default-days.js';
import type { StateEntry } from '../kernel/calendar/sla-clock.js';
import { allowedActions, statesTagged, staysPut, targetsOf } from '../kernel/state-machine/machine.js';
import { claimMachine as machine } from './claim.machine.js';
import {
  claimDueAt, CLOCK_PAUSED_IN, proportionalRefund, recoveryOutcomeOf, resolutionRefusal, verificationGaps, type VerificationFacts, verifyOutcome,
} from './claim.rules.js';
import {
  ALLOWED_RESOLUTIONS, AuditErrorKind, AuditErrorSeverity, ClaimStatus as S, ClaimType, RecoveryOutcome, Resolution, Responsibility, SEVERITY_OF, Verdict,
} from './claim-status.js';

const SH = 'Asia/Shanghai';
const local = (s: string) => DateTime.fromISO(s, { zone: SH }).toJSDate();
const wall = (d: Date) => DateTime.fromJSDate(d).setZone(SH).toFormat("yyyy-MM-dd'T'HH:mm");
const cal = new BusinessCalendar({ weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: { start: '21:00', end: '09:00' }, days: cnDefaultDays() }, SH);
const entry = (state: string, at: string): StateEntry => ({ state, enteredAt: local(at) });
const staff = (role: Role) => ({ type: 'staff' as const, merchantId: 'm', staffId: 's', role });

describe('claim machine (SPEC §8)', () => {
  it('follows the SPEC §8 table, plus a second request for photos while judging', () => {
    const edges = Object.entries(machine.actions)
      .filter(([, a]) => !staysPut(a))
      .flatMap(([name, a]) => a.from.flatMap((f) => targetsOf(a).map((to) => `${f} -${name}-> ${to}`)));
    expect(edges.sort()).toEqual(
      [
        'reported -request-evidence-> awaiting_evidence',
        'evidence_received -request-evidence-> awaiting_evidence',
        'reported -upload-evidence-> evidence_received',
        'awaiting_evidence -upload-evidence-> evidence_received',
        'evidence_received -verify-> verified',
        'evidence_received -verify-> rejected',
        'verified -resolve-> resolved',
        'resolved -claim-carrier-> recovering',
        'recovering -recover-> closed',
        'resolved -close-> closed',
      ].sort(),
    );
    expect(machine.initial).toEqual([S.Reported]);
    expect(machine.actions['upload-evidence'].internal).toBe(true);
  });

  it('pauses the clock exactly in the waiting_customer state; resolved and recovering count as resolved', () => {
    expect(statesTagged(machine, 'waiting_customer')).toEqual([...CLOCK_PAUSED_IN]);
    expect(machine.states[S.AwaitingEvidence].due).toBeUndefined();
    expect(statesTagged(machine, 'resolved').sort()).toEqual([S.Closed, S.Recovering, S.Resolved].sort());
    expect(statesTagged(machine, 'closed').sort()).toEqual([S.Closed, S.Rejected].sort());
    for (const s of [S.Reported, S.EvidenceReceived, S.Verified]) expect(machine.states[s].onDue).toEqual({ mark: 'overdue' });
    expect(machine.states[S.Reported].due).toEqual({ kind: 'cutoff', at: '16:00' });
    expect(machine.actions.verify.due).toMatchObject({ kind: 'computed' });
    expect(machine.actions['upload-evidence'].due).toMatchObject({ kind: 'computed' });
  });

  it('gives the carrier claim to supervisors: an agent is never offered it, a supervisor is', () => {
    expect(allowedActions(machine, { status: S.Resolved }, staff(Role.Agent))).toEqual(['close', 'assign', 'note']);
    expect(allowedActions(machine, { status: S.Resolved }, staff(Role.Supervisor))).toEqual(['claim-carrier', 'close', 'assign', 'note']);
    expect(allowedActions(machine, { status: S.Recovering }, staff(Role.Agent))).toEqual(['assign', 'note']);
    expect(allowedActions(machine, { status: S.Recovering }, staff(Role.Finance))).toEqual(['recover', 'note']);
    // The upload is a sub-resource, never an action route.
    expect(allowedActions(machine, { status: S.Reported }, staff(Role.Agent))).toEqual(['request-evidence', 'assign', 'note']);
  });
});

describe('resolutions per type [002] (SPEC §8)', () => {
  it('allows exactly the listed ones and names them when refusing', () => {
    expect(ALLOWED_RESOLUTIONS).toEqual({
      broken: ['reship', 'refund'],
      leak_minor: ['gift_next_order', 'refund'],
      leak_major: ['reship'],
      wrong_item: ['reship'],
      missing_item: ['reship'],
    });
    for (const type of Object.values(ClaimType)) {
      for (const r of Object.values(Resolution)) {
        const refusal = resolutionRefusal(type, r);
        if (ALLOWED_RESOLUTIONS[type].includes(r)) expect(refusal).toBeNull();
        else expect(refusal).toBe(`a ${type} claim cannot be resolved by ${r}; allowed: ${ALLOWED_RESOLUTIONS[type].join(', ')} [002]`);
      }
    }
  });

  it('refunds a minor leak in proportion, exactly, rounded half up', () => {
    expect(proportionalRefund(9_900, 2_500)).toBe(2_475);
    expect(proportionalRefund(3, 5_000)).toBe(2); // 1.5 → 2
    expect(proportionalRefund(1, 4_999)).toBe(0);
    expect(proportionalRefund(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (amount, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const r = proportionalRefund(amount, lo);
        expect(Number.isSafeInteger(r)).toBe(true);
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(amount);
        expect(r).toBeLessThanOrEqual(proportionalRefund(amount, hi));
        expect(Math.abs(r * 10_000 - amount * lo)).toBeLessThanOrEqual(5_000);
      }),
    );
    expect(() => proportionalRefund(100, 0)).toThrow();
    expect(() => proportionalRefund(100, 10_001)).toThrow();
  });

  it('keeps full, partial and no recovery apart', () => {
    expect(recoveryOutcomeOf(5_000, 5_000)).toBe(RecoveryOutcome.Full);
    expect(recoveryOutcomeOf(5_000, 1_200)).toBe(RecoveryOutcome.Partial);
    expect(recoveryOutcomeOf(5_000, 0)).toBe(RecoveryOutcome.None);
  });

  it('grades audit errors as the KPI rule does [002 绩效 七]', () => {
    const serious = Object.entries(SEVERITY_OF).filter(([, s]) => s === AuditErrorSeverity.Serious).map(([k]) => k).sort();
    expect(serious).toEqual([AuditErrorKind.CodError, AuditErrorKind.WrongAmount, AuditErrorKind.WrongGoods].sort());
    const general = Object.entries(SEVERITY_OF).filter(([, s]) => s === AuditErrorSeverity.General).map(([k]) => k).sort();
    expect(general).toEqual([AuditErrorKind.MissedSampleGift, AuditErrorKind.RemarkMismatch, AuditErrorKind.WrongCourier].sort());
  });
});

describe('the ruling [002 辨别真实性, 查询发货重量]', () => {
  const facts = (over: Partial<VerificationFacts>): VerificationFacts => ({
    type: ClaimType.Broken, verdict: Verdict.Verified, authentic: null, responsibility: null, responsibleStaffId: null,
    shippedWeightGrams: null, expectedWeightGrams: null, evidenceKinds: new Set(), ...over,
  });

  it('a major leak cannot be verified, nor rejected, before its authenticity is judged', () => {
    expect(verificationGaps(facts({ type: ClaimType.LeakMajor }))).toEqual(['an authenticity judgement (authentic: true or false) [002 辨别真实性]']);
    expect(verificationGaps(facts({ type: ClaimType.LeakMajor, verdict: Verdict.Rejected }))).toHaveLength(1);
    expect(verificationGaps(facts({ type: ClaimType.LeakMajor, authentic: true }))).toEqual([]);
    expect(verificationGaps(facts({ type: ClaimType.Broken }))).toEqual([]);
    expect(verifyOutcome(undefined, false)).toBe(S.Rejected);
    expect(verifyOutcome(Verdict.Verified, false)).toBe(S.Rejected);
    expect(verifyOutcome(undefined, true)).toBe(S.Verified);
    expect(verifyOutcome(Verdict.Rejected, true)).toBe(S.Rejected);
  });

  it('wrong and missing goods name who is responsible; the warehouse needs package photos and both weights', () => {
    expect(verificationGaps(facts({ type: ClaimType.WrongItem }))).toEqual([
      'responsibility (review_error or warehouse_error) [002 三 错发漏发]',
      'responsibleStaffId, the staff member responsible [002 通告责任人]',
    ]);
    expect(verificationGaps(facts({ type: ClaimType.WrongItem, responsibility: Responsibility.ReviewError, responsibleStaffId: 's' }))).toEqual([]);
    const warehouse = facts({ type: ClaimType.WrongItem, responsibility: Responsibility.WarehouseError, responsibleStaffId: 's', evidenceKinds: new Set(['outer_package', 'item']) });
    expect(verificationGaps(warehouse)).toEqual([
      'a photo of kind inner_package [002 内外包装照片]',
      'shippedWeightGrams, the weight the parcel was shipped at [002 查询发货重量]',
      'expectedWeightGrams, what the ordered goods should weigh [002 查询发货重量]',
    ]);
    expect(verificationGaps({ ...warehouse, evidenceKinds: new Set(['outer_package', 'inner_package']), shippedWeightGrams: 900, expectedWeightGrams: 1_250 })).toEqual([]);
    expect(verificationGaps({ ...warehouse, type: ClaimType.MissingItem })).toHaveLength(3);
    expect(verificationGaps({ ...warehouse, verdict: Verdict.Rejected })).toEqual([]);
  });
});

describe('the 16:00 deadline [002 时效为当天下午4点以前] (SPEC §8)', () => {
  it('is 16:00 the day reported, or the next day when reported at or after 16:00', () => {
    expect(wall(claimDueAt(cal, [entry(S.Reported, '2026-03-10T15:59'), entry(S.EvidenceReceived, '2026-03-10T15:59')], local('2026-03-10T15:59')))).toBe('2026-03-10T16:00');
    expect(wall(claimDueAt(cal, [entry(S.Reported, '2026-03-10T16:00'), entry(S.EvidenceReceived, '2026-03-10T16:30')], local('2026-03-10T16:00')))).toBe('2026-03-11T16:00');
  });

  it('an upload without a wait for photos keeps the day reported', () => {
    const h = [entry(S.Reported, '2026-03-10T10:00'), entry(S.EvidenceReceived, '2026-03-10T17:30'), entry(S.Verified, '2026-03-11T09:00')];
    expect(wall(claimDueAt(cal, h, local('2026-03-10T10:00')))).toBe('2026-03-10T16:00');
  });

  it('restarts at the upload after a wait: 16:00 that day, or the next day after 16:00', () => {
    const before = [entry(S.Reported, '2026-03-10T10:00'), entry(S.AwaitingEvidence, '2026-03-10T10:30'), entry(S.EvidenceReceived, '2026-03-12T15:00')];
    expect(wall(claimDueAt(cal, before, local('2026-03-10T10:00')))).toBe('2026-03-12T16:00');
    const after = [entry(S.Reported, '2026-03-10T10:00'), entry(S.AwaitingEvidence, '2026-03-10T10:30'), entry(S.EvidenceReceived, '2026-03-12T16:05')];
    expect(wall(claimDueAt(cal, after, local('2026-03-10T10:00')))).toBe('2026-03-13T16:00');
    // The ruling keeps the deadline the upload set.
    expect(wall(claimDueAt(cal, [...after, entry(S.Verified, '2026-03-13T09:00')], local('2026-03-10T10:00')))).toBe('2026-03-13T16:00');
  });

  it('counts from the last wait when photos were asked for twice', () => {
    const h = [
      entry(S.Reported, '2026-03-10T10:00'), entry(S.AwaitingEvidence, '2026-03-10T10:30'), entry(S.EvidenceReceived, '2026-03-10T11:00'),
      entry(S.AwaitingEvidence, '2026-03-10T12:00'), entry(S.EvidenceReceived, '2026-03-14T09:00'),
    ];
    expect(wall(claimDueAt(cal, h, local('2026-03-10T10:00')))).toBe('2026-03-14T16:00');
  });
});
