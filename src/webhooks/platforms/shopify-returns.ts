import { type PlatformReturnLine, type PlatformReturnRequest } from '../../returns/platform-return.js';
import { ReturnReason, ReturnType } from '../../returns/return-status.js';
import { idText } from '../../kernel/json/lossless-json.js';
import { arr, Obj, obj, PayloadError, quantity, str } from './platform-adapter.js';
import { joinText } from './text.js';

export const SHOPIFY_RETURN_REQUEST_TOPIC = 'returns/request';

/**
 * Shopify's ReturnReason (webhook payloads write it in lower case) → our reasons. Fit and taste
 * (size, style, colour) are the customer's preference, counted as changed_mind [000 统计原因].
 */
const REASONS: Readonly<Record<string, ReturnReason>> = {
  defective: ReturnReason.Quality,
  not_as_described: ReturnReason.NotAsDescribed,
  wrong_item: ReturnReason.WrongItem,
  unwanted: ReturnReason.ChangedMind,
  size_too_small: ReturnReason.ChangedMind,
  size_too_large: ReturnReason.ChangedMind,
  style: ReturnReason.ChangedMind,
  color: ReturnReason.ChangedMind,
  other: ReturnReason.Other,
  unknown: ReturnReason.Other,
};

/**
 * A `returns/request` delivery (a Return with status `requested`): `id`, `order {id}`,
 * `return_line_items[] {id, fulfillment_line_item {line_item {id}}, quantity, return_reason,
 * return_reason_note, customer_note}`, `exchange_line_items`. Shopify sets no deadline and no
 * amount: the case is due DEFAULT_RESPOND_HOURS after the request and asks the lines' value.
 */
export function mapShopifyReturnRequest(b: Obj): PlatformReturnRequest {
  const platformReturnId = idText(b.id);
  const platformOrderId = idText(obj(b.order)?.id);
  if (!platformReturnId) throw new PayloadError('return id is missing');
  if (!platformOrderId) throw new PayloadError('order.id is missing');
  const lines = arr(b.return_line_items).map((raw, i): PlatformReturnLine => {
    const li = obj(raw) ?? {};
    const lineItemId = idText(obj(obj(li.fulfillment_line_item)?.line_item)?.id);
    if (!lineItemId) throw new PayloadError(`return_line_items[${i}].fulfillment_line_item.line_item.id is missing`);
    const qty = quantity(li.quantity, `return_line_items[${i}].quantity`);
    if (qty < 1) throw new PayloadError(`return_line_items[${i}].quantity must be at least 1`);
    const code = str(li.return_reason)?.toLowerCase() ?? null;
    return {
      lineRef: lineItemId,
      quantity: qty,
      reason: code ? (REASONS[code] ?? ReturnReason.Other) : null,
      platformLineId: idText(li.id),
      note: joinText(li.customer_note, li.return_reason_note),
    };
  });
  if (!lines.length) throw new PayloadError('return_line_items is empty');
  return {
    platformReturnId,
    platformOrderId,
    type: arr(b.exchange_line_items).length ? ReturnType.Exchange : ReturnType.ReturnRefund,
    reason: null,
    description: str(b.name) ? `Shopify return ${str(b.name)}` : null,
    lines,
    requestedAmount: null,
    currency: null,
    respondBy: null,
    requestedAt: null,
  };
}
