import { InvalidInput, RuleViolation } from '../kernel/errors/domain-errors.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';

/** An order line as a return names it: by any of the ids the order detail shows (SPEC §7 Lines). */
export interface AddressableLine {
  id: string;
  line_no: number;
  platform_line_id: string | null;
  title: string;
  quantity: number;
}

/** A line reference from a request: the line's id (uuid), its lineNo (number or digits) or its platformLineId. */
export type LineRef = string | number;

const DIGITS = /^\d{1,9}$/;
/** Shopify's GraphQL form of a line item id, as its admin shows it: gid://shopify/LineItem/123. */
const GID = /^gid:\/\/shopify\/LineItem\/(\d+)$/i;

export function lineLabel(l: AddressableLine): string {
  return `line ${l.line_no} "${l.title}"`;
}

/**
 * The one line of the order `ref` names. A reference may match several ways at once (lineNo 2 and
 * another line's platformLineId "2"): the candidates are collected over every reading, and more
 * than one distinct line is refused (422) naming them, so a return never guesses which goods.
 */
export function resolveOrderLine<L extends AddressableLine>(lines: readonly L[], ref: LineRef, within: string): L {
  const text = String(ref).trim();
  const matches = new Map<string, { line: L; as: string[] }>();
  const add = (l: L, as: string) => {
    const m = matches.get(l.id) ?? { line: l, as: [] };
    m.as.push(as);
    matches.set(l.id, m);
  };
  if (typeof ref === 'string' && isUuid(text)) {
    for (const l of lines) if (l.id.toLowerCase() === text.toLowerCase()) add(l, 'id');
  }
  if (DIGITS.test(text)) {
    for (const l of lines) if (l.line_no === Number(text)) add(l, 'lineNo');
  }
  const platformId = GID.exec(text)?.[1] ?? text;
  for (const l of lines) if (l.platform_line_id !== null && l.platform_line_id === platformId) add(l, 'platformLineId');

  const found = [...matches.values()];
  if (found.length === 1) return found[0].line;
  if (!found.length) {
    throw new RuleViolation(`order line ${text} is not a line of ${within}: name a line by its id, lineNo or platformLineId as GET /api/v1/orders/{id} shows them`, {
      orderLineId: text,
    });
  }
  throw new RuleViolation(
    `order line ${text} is ambiguous in ${within}: it is ${found.map((f) => `the ${f.as.join('/')} of ${lineLabel(f.line)}`).join(' and ')}; send the line's id (uuid) instead`,
    { orderLineId: text, candidates: found.map((f) => ({ id: f.line.id, lineNo: f.line.line_no, platformLineId: f.line.platform_line_id, matchedAs: f.as })) },
  );
}

/** A requested line: which order line (any reference), how many, why (null → the return's reason). */
export interface RequestedLine {
  ref: LineRef;
  quantity: number;
  reason: string | null;
  platformLineId?: string | null;
  note?: string | null;
}

/** A requested line resolved to its order line. */
export interface ResolvedLine<L extends AddressableLine> {
  line: L;
  quantity: number;
  reason: string;
  platformLineId: string | null;
  note: string | null;
}

/**
 * Resolves every requested line within the order's lines: each names one line (422 none /
 * ambiguous), at most once (400), for at most the units the order has (422).
 */
export function resolveReturnLines<L extends AddressableLine>(orderLines: readonly L[], requested: readonly RequestedLine[], defaultReason: string, within: string): Array<ResolvedLine<L>> {
  const seen = new Set<string>();
  return requested.map((r) => {
    const line = resolveOrderLine(orderLines, r.ref, within);
    if (seen.has(line.id)) throw new InvalidInput('Validation failed', [{ field: 'lines', errors: [`${lineLabel(line)} (${String(r.ref)}) is listed twice`] }]);
    seen.add(line.id);
    if (r.quantity > line.quantity) throw new RuleViolation(`${lineLabel(line)} of ${within} has ${line.quantity} unit(s); cannot return ${r.quantity}`, { orderLineId: line.id });
    return { line, quantity: r.quantity, reason: r.reason ?? defaultReason, platformLineId: r.platformLineId ?? null, note: r.note ?? null };
  });
}
