import type { EntityManager } from 'typeorm';
import { InvalidInput, RuleViolation } from '../kernel/errors/domain-errors.js';
import type { ClaimLineDto } from './dto/create-claim.dto.js';

interface OrderLineRef {
  id: string;
  line_no: number;
  platform_line_id: string | null;
  quantity: number;
}

export interface ResolvedLine {
  orderLineId: string;
  quantity: number;
}

/** Which id a line names it by: exactly one of orderLineId, lineNo, platformLineId. */
function refOf(l: ClaimLineDto): { by: 'orderLineId' | 'lineNo' | 'platformLineId'; value: string | number } | null {
  const given = (['orderLineId', 'lineNo', 'platformLineId'] as const).filter((k) => l[k] !== undefined);
  return given.length === 1 ? { by: given[0], value: l[given[0]] as string | number } : null;
}

/**
 * The affected lines as order line ids: each named by any id the order detail shows (SPEC §7:
 * `id`, `lineNo` or `platformLineId`), at most the quantity ordered, each line once.
 */
export async function resolveClaimLines(m: EntityManager, order: { id: string; order_number: string }, lines: readonly ClaimLineDto[]): Promise<ResolvedLine[]> {
  const orderLines: OrderLineRef[] = await m.query('SELECT id, line_no, platform_line_id, quantity FROM order_lines WHERE order_id = $1', [order.id]);
  const out: ResolvedLine[] = [];
  const seen = new Set<string>();
  for (const [k, l] of lines.entries()) {
    const ref = refOf(l);
    if (!ref) throw new InvalidInput('Validation failed', [{ field: `lines.${k}`, errors: ['name the line by exactly one of orderLineId, lineNo, platformLineId'] }]);
    const match = orderLines.find((ol) =>
      ref.by === 'orderLineId' ? ol.id === ref.value : ref.by === 'lineNo' ? ol.line_no === ref.value : ol.platform_line_id !== null && ol.platform_line_id === ref.value,
    );
    if (!match) throw new RuleViolation(`${ref.by} ${String(ref.value)} is not a line of order ${order.order_number}`, { line: k });
    if (seen.has(match.id)) throw new InvalidInput('Validation failed', [{ field: 'lines', errors: [`order line ${match.line_no} is listed twice`] }]);
    seen.add(match.id);
    if (l.quantity > match.quantity) throw new RuleViolation(`order line ${match.line_no} has ${match.quantity} unit(s); ${l.quantity} cannot be affected`, { line: k });
    out.push({ orderLineId: match.id, quantity: l.quantity });
  }
  return out;
}
