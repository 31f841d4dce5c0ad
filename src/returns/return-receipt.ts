import { InvalidInput, RuleViolation } from '../kernel/errors/domain-errors.js';
import type { TransitionContext } from '../kernel/state-machine/machine.js';
import type { ReceiveReturnDto } from './dto/return-actions.dto.js';
import { type AddressableLine, lineLabel, resolveOrderLine } from './return-lines.js';
import { ReturnStatus } from './return-status.js';

/** A return line as receiving sees it: what was asked back and what is accounted for so far. */
export interface ReceivableLine extends AddressableLine {
  /** The return line's id. */
  return_line_id: string;
  restocked: number;
  damaged: number;
}

/** One line after a receive: the units by disposition; `missing` is what neither covers. */
export interface ReceiptLine {
  returnLineId: string;
  restocked: number;
  damaged: number;
  missing: number;
}

export interface Receipt {
  lines: ReceiptLine[];
  /** Every unit of every line is accounted for (restock or damaged): nothing missing. */
  complete: boolean;
}

/**
 * What a receive makes of the return's lines. Pure: the lines as stored, the warehouse's count.
 * Without `lines` every outstanding unit is restocked; a listed line adds its restock and damaged
 * units; a line not listed keeps what it had. Over-counting a line, or a `missing` that does not
 * match what is left, is refused (422) naming the line.
 */
export function computeReceipt(lines: readonly ReceivableLine[], input: Pick<ReceiveReturnDto, 'lines'>, within: string): Receipt {
  const counted = new Map<string, { restock: number; damaged: number; missing?: number }>();
  for (const [i, entry] of (input.lines ?? []).entries()) {
    if (entry.returnLineId !== undefined && entry.orderLineId !== undefined) {
      throw new InvalidInput('Validation failed', [{ field: `lines.${i}`, errors: [`lines.${i} names its line by returnLineId or by orderLineId, not both`] }]);
    }
    const line =
      entry.returnLineId !== undefined
        ? lines.find((l) => l.return_line_id.toLowerCase() === entry.returnLineId!.toLowerCase())
        : resolveOrderLine(lines, entry.orderLineId!, within);
    if (!line) throw new RuleViolation(`return line ${entry.returnLineId} is not a line of ${within}`, { returnLineId: entry.returnLineId });
    if (counted.has(line.return_line_id)) {
      throw new InvalidInput('Validation failed', [{ field: 'lines', errors: [`${lineLabel(line)} is listed twice`] }]);
    }
    counted.set(line.return_line_id, { restock: entry.restock ?? 0, damaged: entry.damaged ?? 0, missing: entry.missing });
  }

  const out = lines.map((l): ReceiptLine => {
    const c = input.lines ? counted.get(l.return_line_id) : { restock: l.quantity - l.restocked - l.damaged, damaged: 0 };
    const restocked = l.restocked + (c?.restock ?? 0);
    const damaged = l.damaged + (c?.damaged ?? 0);
    const missing = l.quantity - restocked - damaged;
    if (missing < 0) {
      const before = l.restocked + l.damaged ? ` (${l.restocked + l.damaged} already accounted for)` : '';
      throw new RuleViolation(`${lineLabel(l)} asks ${l.quantity} unit(s) back; ${restocked + damaged} would be accounted for${before}`, { returnLineId: l.return_line_id });
    }
    if (c?.missing !== undefined && c.missing !== missing) {
      throw new RuleViolation(`${lineLabel(l)}: ${l.quantity} unit(s), ${restocked} restock + ${damaged} damaged leaves ${missing} missing, not ${c.missing}`, {
        returnLineId: l.return_line_id,
      });
    }
    return { returnLineId: l.return_line_id, restocked, damaged, missing };
  });
  return { lines: out, complete: out.every((l) => l.missing === 0) };
}

/** received when every unit is accounted for, else partially_received: derived in this one place. */
export function statusAfterReceipt(r: Receipt): ReturnStatus.Received | ReturnStatus.PartiallyReceived {
  return r.complete ? ReturnStatus.Received : ReturnStatus.PartiallyReceived;
}

// The receipt of a transition, computed once by its guard (which reads the lines in the transition's
// transaction) and read by the target resolver and the effect that records it.
const receipts = new WeakMap<object, Receipt>();

export async function loadReceivableLines(ctx: TransitionContext): Promise<ReceivableLine[]> {
  const rows: Array<ReceivableLine & { quantity: number }> = await ctx.manager.query(
    `SELECT rl.id AS return_line_id, rl.order_line_id AS id, ol.line_no, ol.platform_line_id, ol.title, rl.quantity, rl.restocked, rl.damaged
       FROM return_lines rl JOIN order_lines ol ON ol.id = rl.order_line_id
      WHERE rl.return_id = $1 ORDER BY ol.line_no`,
    [ctx.row.id],
  );
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity), restocked: Number(r.restocked), damaged: Number(r.damaged) }));
}

/** Guard of `receive`: computes (and keeps for the resolver and the effect) what the parcel makes of the lines; 422/400 on a bad count. */
export async function throwIfReceiptInvalid(ctx: TransitionContext): Promise<void> {
  const lines = await loadReceivableLines(ctx);
  receipts.set(ctx.input as object, computeReceipt(lines, ctx.input as ReceiveReturnDto, `this return`));
}

export function receiptOf(ctx: TransitionContext): Receipt {
  const r = receipts.get(ctx.input as object);
  if (!r) throw new Error('receive: the receipt is computed by its guard throwIfReceiptInvalid, which did not run');
  return r;
}
