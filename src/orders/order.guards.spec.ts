import type { EntityManager } from 'typeorm';
import { DomainError, RuleViolation } from '../kernel/errors/domain-errors.js';
import type { SettingsSection } from '../kernel/settings/settings-section.js';
import type { TransitionContext } from '../kernel/state-machine/machine.js';
import type { CarrierCoverageSettings } from './carrier-coverage.settings.js';
import {
  chosenCarrier, ORDER_GUARDS, throwIfAmountMismatch, throwIfCarrierDoesNotServe, throwIfCaseOpen, throwIfCodNotConfirmed, throwIfItemsInconsistent,
  throwIfShipCarrierDoesNotServe, throwIfTrackingNoUsed,
} from './order.guards.js';
import { orderMachine } from './order.machine.js';
import { HoldReason, PaymentMethod } from './order-status.js';

/**
 * The order guards against a scripted stand-in for the transaction: each guard's SQL reads are
 * answered from tables given per test (the e2e specs run the same guards on PostgreSQL).
 */
type Tables = { lines?: unknown[]; calls?: unknown[]; shipments?: unknown[]; openCases?: number; carriers?: unknown[] };

function manager(tables: Tables): { m: EntityManager; sql: string[] } {
  const sql: string[] = [];
  const query = async (text: string): Promise<unknown[]> => {
    sql.push(text);
    if (text.includes('FROM order_lines')) return tables.lines ?? [];
    if (text.includes('FROM order_confirmation_calls')) return tables.calls ?? [];
    if (text.includes('FROM shipments')) return tables.shipments ?? [];
    if (text.includes('FROM case_index')) return [{ n: tables.openCases ?? 0 }];
    if (text.includes('FROM carriers')) return tables.carriers ?? [];
    throw new Error(`unexpected query ${text}`);
  };
  return { m: { query } as unknown as EntityManager, sql };
}

const ROW: Record<string, unknown> = {
  id: 'o1', merchant_id: 'm1', shop_id: 's1', status: 'paid', version: 2, due_at: null,
  items_amount: '19900', discount_amount: '1000', shipping_amount: '1200', tax_amount: '0', other_amount: '0', total_amount: '20100',
  ship_province: '广东省', carrier: null, payment_method: PaymentMethod.Prepaid,
};

function ctx(row: Record<string, unknown> = {}, input: object = {}, tables: Tables = {}, coverage: CarrierCoverageSettings = { carriers: [] }) {
  const { m, sql } = manager(tables);
  const c = {
    machine: orderMachine, action: 'audit', row: { ...ROW, ...row }, input, caller: { type: 'staff', merchantId: 'm1' }, now: new Date(), manager: m,
    settings: async <T extends object>(section: SettingsSection<T>) => {
      if (section.name !== 'carrier-coverage') throw new Error(`unexpected settings section ${section.name}`);
      return coverage as unknown as T;
    },
  } as unknown as TransitionContext;
  return { c, sql };
}

/** The domain error a guard throws, for its message and details. */
async function refusal(run: () => unknown): Promise<RuleViolation> {
  try {
    await run();
  } catch (err) {
    if (err instanceof RuleViolation) return err;
    throw err;
  }
  throw new Error('the guard let it pass');
}
const holdReasonOf = (e: DomainError) => (e.details as { suggestedHoldReason?: string }).suggestedHoldReason;

describe('order guards [002 审单][004 货到付款]', () => {
  it('every guard the machine names is supplied', () => {
    const named = new Set(Object.values(orderMachine.actions).flatMap((a) => a.guards ?? []));
    expect(new Set(Object.keys(ORDER_GUARDS))).toEqual(named);
  });

  describe('throwIfAmountMismatch: items − discount + shipping + tax + other = total', () => {
    it('passes when it adds up, in bigint (amounts beyond 2^53)', () => {
      expect(() => throwIfAmountMismatch(ctx().c)).not.toThrow();
      expect(() => throwIfAmountMismatch(ctx({ items_amount: '90071992547409930', discount_amount: '0', shipping_amount: '1', total_amount: '90071992547409931' }).c)).not.toThrow();
    });
    it('refuses a total that does not add up, or a negative one, suggesting amount_mismatch', async () => {
      const e = await refusal(() => throwIfAmountMismatch(ctx({ total_amount: '20000' }).c));
      expect(e.message).toBe('Audit refused: items 19900 − discount 1000 + shipping 1200 + tax 0 + other 0 = 20100, but the total is 20000 (minor units)');
      expect(holdReasonOf(e)).toBe(HoldReason.AmountMismatch);
      expect(holdReasonOf(await refusal(() => throwIfAmountMismatch(ctx({ items_amount: '0', discount_amount: '2400', total_amount: '-1200' }).c)))).toBe(HoldReason.AmountMismatch);
    });
  });

  describe('throwIfItemsInconsistent', () => {
    const line = (over: object = {}) => ({ line_no: 1, sku: 'CUP', title: '保温杯', quantity: 2, unit_price: '9950', amount: '19900', ...over });
    it('passes lines whose unit price × quantity is the amount and that add up to the items amount', async () => {
      await expect(throwIfItemsInconsistent(ctx({}, {}, { lines: [line()] }).c)).resolves.toBeUndefined();
    });
    it('takes less than one minor unit per piece as the platform rounding a unit price (WooCommerce)', async () => {
      // 3 × 33.33 = 99.99 for a line of 100.00: 1 cent over 3 pieces is rounding
      await expect(throwIfItemsInconsistent(ctx({ items_amount: '10000' }, {}, { lines: [line({ quantity: 3, unit_price: '3333', amount: '10000' })] }).c)).resolves.toBeUndefined();
      const e = await refusal(() => throwIfItemsInconsistent(ctx({ items_amount: '10000' }, {}, { lines: [line({ quantity: 3, unit_price: '3330', amount: '10000' })] }).c));
      expect(e.message).toMatch(/line 1 \(保温杯\) unit price × quantity ≠ line amount/);
      expect(e.details).toMatchObject({ rule: HoldReason.ItemsMismatch, line: 1 });
    });
    it('refuses no lines, a zero quantity, and lines that do not add up', async () => {
      expect((await refusal(() => throwIfItemsInconsistent(ctx({}, {}, { lines: [] }).c))).message).toBe('Audit refused: the order has no lines');
      expect((await refusal(() => throwIfItemsInconsistent(ctx({}, {}, { lines: [line({ quantity: 0, amount: '0' })] }).c))).message).toMatch(/has quantity 0/);
      expect((await refusal(() => throwIfItemsInconsistent(ctx({ items_amount: '20000' }, {}, { lines: [line()] }).c))).message).toMatch(/lines add up to 19900 but the order's items amount is 20000/);
    });
  });

  describe('carrier coverage', () => {
    const coverage = { carriers: [{ carrier: 'SF', provinces: ['广东', '北京市'] }] };
    it('chosenCarrier: the body\'s carrier (trimmed), else the one on the order', () => {
      expect(chosenCarrier(ctx({ carrier: 'YTO' }, { carrier: '  SF ' }).c)).toBe('SF');
      expect(chosenCarrier(ctx({ carrier: 'YTO' }, { carrier: '  ' }).c)).toBe('YTO');
      expect(chosenCarrier(ctx().c)).toBeNull();
    });
    it('passes a carrier serving the province, by any of its names (顺丰速运 is SF; 广东省 is 广东)', async () => {
      await expect(throwIfCarrierDoesNotServe(ctx({}, { carrier: '顺丰速运' }, {}, coverage).c)).resolves.toBeUndefined();
      await expect(throwIfCarrierDoesNotServe(ctx({ ship_province: 'Beijing' }, { carrier: 'sf' }, {}, coverage).c)).resolves.toBeUndefined();
    });
    it('refuses, suggesting address_not_covered: no carrier, no province, no coverage list, a province not served', async () => {
      expect((await refusal(() => throwIfCarrierDoesNotServe(ctx({}, {}, {}, coverage).c))).message).toMatch(/choose the carrier/);
      expect((await refusal(() => throwIfCarrierDoesNotServe(ctx({ ship_province: null }, { carrier: 'SF' }, {}, coverage).c))).message).toMatch(/no destination province/);
      const none = await refusal(() => throwIfCarrierDoesNotServe(ctx({}, { carrier: 'YTO' }, {}, coverage).c));
      expect(none.message).toMatch(/carrier YTO has no coverage list; an admin sets it at PUT \/api\/v1\/settings\/carrier-coverage/);
      const far = await refusal(() => throwIfCarrierDoesNotServe(ctx({ ship_province: '浙江省' }, { carrier: 'SF' }, {}, coverage).c));
      expect(far.details).toMatchObject({ suggestedHoldReason: HoldReason.AddressNotCovered, carrier: 'SF', province: '浙江省' });
    });
    it('shipping with the audited carrier under another name skips the check; another carrier is checked again', async () => {
      await expect(throwIfShipCarrierDoesNotServe(ctx({ carrier: 'SF', ship_province: '浙江省' }, { carrier: '顺丰' }, {}, coverage).c)).resolves.toBeUndefined();
      expect(holdReasonOf(await refusal(() => throwIfShipCarrierDoesNotServe(ctx({ carrier: 'SF', ship_province: '浙江省' }, { carrier: 'YTO' }, {}, coverage).c)))).toBe(HoldReason.AddressNotCovered);
    });
  });

  describe('throwIfCodNotConfirmed [004]', () => {
    it('a prepaid order needs no call and reads nothing', async () => {
      const { c, sql } = ctx();
      await expect(throwIfCodNotConfirmed(c)).resolves.toBeUndefined();
      expect(sql).toEqual([]);
    });
    it('cash on delivery needs a call with the customer\'s yes', async () => {
      const cod = { payment_method: PaymentMethod.CashOnDelivery };
      expect(holdReasonOf(await refusal(() => throwIfCodNotConfirmed(ctx(cod, {}, { calls: [] }).c)))).toBe(HoldReason.CustomerContactNeeded);
      await expect(throwIfCodNotConfirmed(ctx(cod, {}, { calls: [{ '?column?': 1 }] }).c)).resolves.toBeUndefined();
    });
  });

  it('throwIfTrackingNoUsed: a tracking number of the same carrier already used refuses, naming its order', async () => {
    await expect(throwIfTrackingNoUsed(ctx({}, { carrier: 'SF', trackingNo: 'SF1' }, { shipments: [] }).c)).resolves.toBeUndefined();
    expect((await refusal(() => throwIfTrackingNoUsed(ctx({}, { carrier: 'SF', trackingNo: 'SF1' }, { shipments: [{ order_id: 'o9' }] }).c))).message).toBe('Tracking number SF1 of SF is already used by order o9');
    // nothing to check without a number
    await expect(throwIfTrackingNoUsed(ctx({}, { carrier: 'SF' }).c)).resolves.toBeUndefined();
  });

  it('throwIfCaseOpen: the order completes only when no case about it is open (SPEC §5)', async () => {
    await expect(throwIfCaseOpen(ctx({}, {}, { openCases: 0 }).c)).resolves.toBeUndefined();
    const e = await refusal(() => throwIfCaseOpen(ctx({}, {}, { openCases: 2 }).c));
    expect(e.message).toBe('The order has 2 open case(s); it completes when they are closed');
    expect(e.details).toEqual({ openCases: 2 });
  });
});
