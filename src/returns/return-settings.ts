import type { EntityManager } from 'typeorm';
import { DEFAULT_AGENT_APPROVAL_LIMIT } from './return-status.js';

/** The merchant's return-procedure settings, stored in merchants.settings.returns. */
export interface ReturnSettings {
  /** The most an agent may approve alone, minor units; above it a supervisor approves [002 退款审核]. */
  agentApprovalLimit: number;
}

export function readReturnSettings(settings: Record<string, unknown> | null | undefined): ReturnSettings {
  const r = ((settings ?? {}).returns ?? {}) as Partial<ReturnSettings>;
  const limit = r.agentApprovalLimit;
  return { agentApprovalLimit: Number.isSafeInteger(limit) && (limit as number) >= 0 ? (limit as number) : DEFAULT_AGENT_APPROVAL_LIMIT };
}

/** Reads them inside any transaction (guards use this). */
export async function loadReturnSettings(manager: EntityManager, merchantId: string): Promise<ReturnSettings> {
  const rows: Array<{ settings: Record<string, unknown> }> = await manager.query('SELECT settings FROM merchants WHERE id = $1', [merchantId]);
  return readReturnSettings(rows[0]?.settings);
}
