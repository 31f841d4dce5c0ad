/** One contact of an agent with an order's customer, as the attribution rules read it. */
export interface OrderContact {
  id: string;
  staffId: string;
  contactedAt: Date;
  assistOnly: boolean;
  orderChanged: boolean;
  createdAt: Date;
}

/** Why a contact cannot be recorded for attribution, or null. */
export function whyContactRefused(contactedAt: Date, paidAt: Date | null, orderChanged: boolean, now: Date): string | null {
  if (contactedAt.getTime() > now.getTime()) return `contactedAt ${contactedAt.toISOString()} is in the future`;
  // [002 订单归属 3] after payment only a contact that changed the order (the customer bought more on
  // the agent's advice) may claim it; claiming it otherwise counts as serious cheating (严重作弊).
  if (paidAt && contactedAt.getTime() > paidAt.getTime() && !orderChanged) {
    return `the order was paid at ${paidAt.toISOString()}: a later contact claims it only when the order changed (orderChanged: true) [002 订单归属 3]`;
  }
  return null;
}

/** Whether a contact may decide the attribution: before payment, or after it with a changed order. */
export function counts(c: OrderContact, paidAt: Date | null): boolean {
  return !paidAt || c.contactedAt.getTime() <= paidAt.getTime() || c.orderChanged;
}

const byTime = (a: OrderContact, b: OrderContact) =>
  a.contactedAt.getTime() - b.contactedAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);

/**
 * [002 订单归属] The contact that decides who the order is attributed to:
 * - rules 1–2: an agent the customer talked with before ordering or paying (and who closed it);
 * - 争议: an agent who only helped with a deal another had agreed (changed the price, nothing
 *   material: `assistOnly`) does not take it from that agent; when the first agent had not agreed
 *   it and the customer came back and closed with another, the closing agent gets it — so the
 *   latest contact that was not assist-only wins;
 * - only assist-only contacts: the latest of them (rule 1: the customer talked with that agent);
 * - rule 3: contacts after payment count only with a changed order.
 * Equal times: the one recorded later.
 */
export function decidingContact(contacts: readonly OrderContact[], paidAt: Date | null): OrderContact | null {
  const eligible = contacts.filter((c) => counts(c, paidAt)).sort(byTime);
  if (!eligible.length) return null;
  const closing = eligible.filter((c) => !c.assistOnly);
  return (closing.length ? closing : eligible)[(closing.length ? closing : eligible).length - 1];
}
