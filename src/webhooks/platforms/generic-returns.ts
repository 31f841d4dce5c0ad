import { type PlatformReturnLine, type PlatformReturnRequest } from '../../returns/platform-return.js';
import { ReturnReason, ReturnType } from '../../returns/return-status.js';
import { idText } from '../../kernel/json/lossless-json.js';
import { arr, currencyOf, date, money, Obj, obj, PayloadError, quantity, ShopContext, str } from './platform-adapter.js';
import { text } from './text.js';

export const GENERIC_RETURN_REQUEST_TOPIC = 'return.requested';

const TYPES = Object.values(ReturnType) as string[];
const REASONS = Object.values(ReturnReason) as string[];

function reasonOf(v: unknown, what: string): ReturnReason | null {
  const r = str(v);
  if (r === null) return null;
  if (!REASONS.includes(r)) throw new PayloadError(`${what} must be one of ${REASONS.join(', ')}`);
  return r as ReturnReason;
}

/**
 * `return.requested` (docs/refunds.md): `data {returnId, orderId, type, reason, lines[{lineId,
 * quantity, reason?, note?}], requestedAmount, currency?, respondBy, requestedAt?, description?}`.
 * Amounts are decimal strings like every generic amount; `lineId` is the line's `id` as
 * `order.created` sent it (a lineNo works too).
 */
export function mapGenericReturnRequest(d: Obj, envelope: Obj, shop: ShopContext): PlatformReturnRequest {
  const platformReturnId = idText(d.returnId);
  const platformOrderId = idText(d.orderId);
  if (!platformReturnId || !platformOrderId) throw new PayloadError('data.returnId and data.orderId are required');
  const type = str(d.type);
  if (!type || !TYPES.includes(type)) throw new PayloadError(`data.type must be one of ${TYPES.join(', ')}`);
  const lines = arr(d.lines).map((raw, i): PlatformReturnLine => {
    const l = obj(raw) ?? {};
    const lineRef = idText(l.lineId);
    if (!lineRef) throw new PayloadError(`data.lines[${i}].lineId is missing`);
    const qty = quantity(l.quantity, `data.lines[${i}].quantity`);
    if (qty < 1) throw new PayloadError(`data.lines[${i}].quantity must be at least 1`);
    return { lineRef, quantity: qty, reason: reasonOf(l.reason, `data.lines[${i}].reason`), platformLineId: idText(l.id), note: text(l.note) };
  });
  const currency = currencyOf(d.currency, shop.currency);
  return {
    platformReturnId,
    platformOrderId,
    type: type as ReturnType,
    reason: reasonOf(d.reason, 'data.reason'),
    description: text(d.description),
    lines,
    requestedAmount: d.requestedAmount === undefined || d.requestedAmount === null ? null : money(d.requestedAmount, currency, 'data.requestedAmount'),
    currency: str(d.currency) ? currency : null,
    respondBy: date(d.respondBy, 'data.respondBy'),
    requestedAt: date(d.requestedAt ?? envelope.occurredAt, 'data.requestedAt'),
  };
}
