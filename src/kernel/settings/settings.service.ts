import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/roles.js';
import { NotAllowed, NotFound } from '../errors/domain-errors.js';
import { validateBody, VALIDATION_OPTIONS } from '../errors/validation.js';
import type { SettingsSection } from './settings-section.js';

/**
 * Settings are read by guards and deadlines on every action and change rarely, so each instance
 * keeps a merchant's for a moment; a change applies at once on the instance that made it and
 * within this time on the others.
 */
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

export interface SettingsSectionView {
  section: string;
  description: string;
  writableBy: string[];
  /** Where it is changed: `PATCH /api/v1/settings/{section}` or the section's own route. */
  route: string;
  value: Record<string, unknown>;
}

/**
 * The one merchant-settings registry: sections (name, defaults, a DTO) registered by the modules,
 * one read (`get`, cached briefly), one write (`patch`). Values live in merchants.settings (jsonb),
 * one key per section; a stored value that no longer validates falls back to its default.
 */
@Injectable()
export class SettingsService {
  private readonly sections = new Map<string, SettingsSection<object>>();
  private readonly cache = new Map<string, { until: number; stored: Record<string, unknown> }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  register<T extends object>(section: SettingsSection<T>): void {
    if (this.sections.has(section.name)) throw new Error(`settings section ${section.name} registered twice`);
    this.sections.set(section.name, section as unknown as SettingsSection<object>);
  }

  /** Registered sections, by name. */
  list(): SettingsSection<object>[] {
    return [...this.sections.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A merchant's section: stored values over the defaults. Pass the transaction's manager when inside one. */
  async get<T extends object>(merchantId: string, section: SettingsSection<T>, manager?: EntityManager): Promise<T> {
    if (section.external) return section.external.load(merchantId, manager);
    return readSection(section, (await this.stored(merchantId, manager))[section.name]);
  }

  /** Every registered section of the caller's merchant. */
  async all(caller: Caller): Promise<SettingsSectionView[]> {
    const out: SettingsSectionView[] = [];
    for (const s of this.list()) out.push(this.view(s, (await this.get(caller.merchantId, s)) as Record<string, unknown>));
    return out;
  }

  async one(caller: Caller, name: string): Promise<Record<string, unknown>> {
    return (await this.get(caller.merchantId, this.section(name))) as Record<string, unknown>;
  }

  /**
   * Validates `body` with the section's DTO (400 field by field; unknown fields refused), merges
   * it over the current value, runs the section's check, stores it. Fields left out keep their value.
   */
  async patch(caller: Caller, name: string, body: unknown): Promise<Record<string, unknown>> {
    const section = this.section(name);
    if (section.external) throw new NotFound('Settings section', name, `it is changed at ${section.external.route}`);
    if (caller.type !== 'staff' || !caller.role || !section.writers?.includes(caller.role)) {
      throw new NotAllowed(`role ${caller.role ?? caller.type} may not change the ${name} settings; allowed: ${section.writers?.join(', ')}`);
    }
    const dto = await validateBody(section.dto, body);
    let patch = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<object>;
    if (section.normalise) patch = section.normalise(patch);
    const next = await this.db.transaction(async (m) => {
      // One writer per merchant at a time: the merge below reads the current value.
      const [row]: Array<{ settings: Record<string, unknown> }> = await m.query('SELECT settings FROM merchants WHERE id = $1 FOR UPDATE', [caller.merchantId]);
      if (!row) throw new NotFound('merchant', caller.merchantId);
      const value = { ...readSection(section, row.settings?.[name]), ...patch };
      await section.check?.(value, { merchantId: caller.merchantId, manager: m });
      await m.query(`UPDATE merchants SET settings = jsonb_set(settings, ARRAY[$2::text], $3::jsonb), updated_at = now() WHERE id = $1`, [
        caller.merchantId, name, JSON.stringify(value),
      ]);
      return value;
    });
    this.cache.delete(caller.merchantId);
    return next as Record<string, unknown>;
  }

  /** `patch` of a section the caller holds (typed; older routes that alias the registry use this). */
  async update<T extends object>(caller: Caller, section: SettingsSection<T>, body: unknown): Promise<T> {
    return (await this.patch(caller, section.name, body)) as unknown as T;
  }

  /** Drops a merchant's cached settings (this instance). */
  invalidate(merchantId: string): void {
    this.cache.delete(merchantId);
  }

  private section(name: string): SettingsSection<object> {
    const s = this.sections.get(name);
    if (!s) throw new NotFound('Settings section', name, `sections: ${[...this.sections.keys()].sort().join(', ')}`);
    return s;
  }

  private view(s: SettingsSection<object>, value: Record<string, unknown>): SettingsSectionView {
    return { section: s.name, description: s.description, writableBy: [...(s.writers ?? [])], route: s.external?.route ?? `/api/v1/settings/${s.name}`, value };
  }

  private async stored(merchantId: string, manager?: EntityManager): Promise<Record<string, unknown>> {
    const hit = this.cache.get(merchantId);
    if (hit && hit.until > Date.now()) return hit.stored;
    const rows: Array<{ settings: Record<string, unknown> | null }> = await (manager ?? this.db.manager).query('SELECT settings FROM merchants WHERE id = $1', [merchantId]);
    const stored = rows[0]?.settings ?? {};
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(merchantId, { until: Date.now() + CACHE_MS, stored });
    return stored;
  }
}

/**
 * A stored section over its defaults. Stored JSON is not trusted: each field that the section's
 * DTO refuses (a hand edit, an older format) reads as its default.
 */
export function readSection<T extends object>(section: SettingsSection<T>, stored: unknown): T {
  const defaults = section.defaults;
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return structuredClone(defaults);
  const known = Object.fromEntries(Object.entries(stored).filter(([k]) => k in defaults));
  const errors = validateSync(plainToInstance(section.dto, known), { ...VALIDATION_OPTIONS, forbidNonWhitelisted: false });
  const bad = new Set(errors.map((e) => e.property));
  const value = structuredClone(defaults) as Record<string, unknown>;
  for (const [k, v] of Object.entries(known)) if (!bad.has(k) && v !== undefined) value[k] = v;
  return value as T;
}
