/** Staff roles. */
export enum Role {
  /** Manages staff, shops and settings; may do everything a supervisor may. */
  Admin = 'admin',
  /** 客服主管: approvals above limits, cancellations, escalations. */
  Supervisor = 'supervisor',
  /** 客服: works the cases. */
  Agent = 'agent',
  /** 仓库: receives returns, ships. */
  Warehouse = 'warehouse',
  /** 财务: confirms paid orders, reads reconciliation reports. */
  Finance = 'finance',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);
/** "agent+" in the spec: agents and those above them. */
export const AGENT_PLUS: readonly Role[] = [Role.Agent, Role.Supervisor, Role.Admin];
export const SUPERVISOR_PLUS: readonly Role[] = [Role.Supervisor, Role.Admin];
export const WAREHOUSE_PLUS: readonly Role[] = [Role.Warehouse, Role.Supervisor, Role.Admin];
export const FINANCE_PLUS: readonly Role[] = [Role.Finance, Role.Admin];

/** Who fires an action: a staff member, or the outside world / the system itself. */
export type ActorType = 'staff' | 'platform' | 'carrier' | 'system';

/** The authenticated caller of any service method. */
export interface Caller {
  type: ActorType;
  merchantId: string;
  staffId?: string;
  role?: Role;
}

export function systemCaller(merchantId: string, type: Exclude<ActorType, 'staff'> = 'system'): Caller {
  return { type, merchantId };
}
