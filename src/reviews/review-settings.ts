import type { EntityManager } from 'typeorm';

/** The merchant's review-recovery settings, stored in merchants.settings.reviews. */
export interface ReviewSettings {
  /** The remedy cap as a share of the order amount, percent [001 不能一味的用钱来买评价]. */
  remedyCapPercent: number;
  /** The cap never exceeds this, minor units. */
  remedyCapMax: number;
  /** After a `no_answer`, the next attempt is this long later — moved out of quiet hours. */
  retryAfterMinutes: number;
}

export const DEFAULT_REVIEW_SETTINGS: Readonly<ReviewSettings> = { remedyCapPercent: 10, remedyCapMax: 5_000, retryAfterMinutes: 120 };

const LIMITS: Record<keyof ReviewSettings, [number, number]> = {
  remedyCapPercent: [0, 100],
  remedyCapMax: [0, Number.MAX_SAFE_INTEGER],
  retryAfterMinutes: [15, 7 * 24 * 60],
};

export function readReviewSettings(settings: Record<string, unknown> | null | undefined): ReviewSettings {
  const r = ((settings ?? {}).reviews ?? {}) as Partial<Record<keyof ReviewSettings, unknown>>;
  const pick = (k: keyof ReviewSettings): number => {
    const v = r[k];
    const [lo, hi] = LIMITS[k];
    return Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi ? (v as number) : DEFAULT_REVIEW_SETTINGS[k];
  };
  return { remedyCapPercent: pick('remedyCapPercent'), remedyCapMax: pick('remedyCapMax'), retryAfterMinutes: pick('retryAfterMinutes') };
}

/** Reads them inside any transaction (guards and deadlines use this). */
export async function loadReviewSettings(manager: EntityManager, merchantId: string): Promise<ReviewSettings> {
  const rows: Array<{ settings: Record<string, unknown> }> = await manager.query('SELECT settings FROM merchants WHERE id = $1', [merchantId]);
  return readReviewSettings(rows[0]?.settings);
}

/**
 * SPEC §9 / [001]: what an agent may offer alone — the percentage of the order amount (rounded
 * down to a minor unit), at most the absolute cap. Without a known order there is no amount to
 * take a share of, so the cap is 0: any money needs a supervisor.
 */
export function remedyCap(orderAmount: number | null, s: Pick<ReviewSettings, 'remedyCapPercent' | 'remedyCapMax'>): number {
  if (orderAmount === null || orderAmount <= 0) return 0;
  const share = (BigInt(orderAmount) * BigInt(s.remedyCapPercent)) / 100n;
  return Number(share < BigInt(s.remedyCapMax) ? share : BigInt(s.remedyCapMax));
}
