import { complaintMachine } from '../complaints/complaint.machine.js';
import type { CaseRow } from '../kernel/state-machine/machine.js';
import { logisticsExceptionMachine } from '../logistics/logistics-exception.machine.js';
import { orderMachine } from '../orders/order.machine.js';
import { returnMachine } from '../returns/return.machine.js';
import { followUpMachine } from './follow-up.machine.js';
import { complaintCategoryFor, isResolution, whyNoFollowUp } from './follow-up-policy.js';

const row = (r: Record<string, unknown>) => r as unknown as CaseRow;

describe('which transitions get a follow-up call', () => {
  it('a case entering a resolved state from one that is not', () => {
    expect(isResolution(returnMachine, 'refunding', 'refunded')).toBe(true);
    expect(isResolution(returnMachine, 'requested', 'rejected')).toBe(true);
    expect(isResolution(returnMachine, 'requested', 'cancelled')).toBe(false);
    expect(isResolution(logisticsExceptionMachine, 'reship_required', 'reshipped')).toBe(true);
    expect(isResolution(complaintMachine, 'implemented', 'awaiting_follow_up')).toBe(true);
    expect(isResolution(complaintMachine, 'explained', 'closed')).toBe(true);
  });

  it('not a move between resolved states: one resolution, one call', () => {
    expect(isResolution(logisticsExceptionMachine, 'reshipped', 'recalling')).toBe(false);
    expect(isResolution(logisticsExceptionMachine, 'recalling', 'closed')).toBe(false);
    expect(isResolution(returnMachine, 'exchange_shipped', 'completed')).toBe(false);
    expect(isResolution(complaintMachine, 'awaiting_follow_up', 'closed')).toBe(false);
  });

  it('records are not cases: a delivered order and a follow-up itself get none', () => {
    expect(isResolution(orderMachine, 'shipped', 'delivered')).toBe(false);
    expect(isResolution(followUpMachine, 'open', 'done')).toBe(false);
  });

  it('a logistics false alarm closes resolved but had no problem to ask about', () => {
    expect(whyNoFollowUp(logisticsExceptionMachine, row({ outcome: 'false_alarm' }))).toBe('a false alarm');
    expect(whyNoFollowUp(logisticsExceptionMachine, row({ outcome: 'resolved' }))).toBeNull();
    expect(whyNoFollowUp(returnMachine, row({ outcome: 'false_alarm' }))).toBeNull();
  });

  it('a complaint from an unsatisfied call counts under logistics or after-sales', () => {
    expect(complaintCategoryFor('logistics_exception')).toBe('logistics');
    expect(complaintCategoryFor('return')).toBe('after_sales');
    expect(complaintCategoryFor('claim')).toBe('after_sales');
  });
});
