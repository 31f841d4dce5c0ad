import type { EntityManager } from 'typeorm';
import { Role } from '../auth/roles.js';

/** What a section's extra check receives (the value it would store, merged over the current one). */
export interface SettingsCheckContext {
  merchantId: string;
  manager: EntityManager;
}

/**
 * One section of a merchant's settings (SPEC §4: procedure limits and thresholds are the
 * merchant's). Declared as data beside the code that reads it; registered by its module at start;
 * read with `SettingsService.get(merchantId, section)`; changed with `PATCH /api/v1/settings/{name}`.
 */
export interface SettingsSection<T extends object = Record<string, unknown>> {
  /** kebab-case: the URL segment and the key in merchants.settings. */
  name: string;
  description: string;
  /** The value of every field nobody set (or whose stored value is no longer valid). */
  defaults: T;
  /**
   * class-validator DTO of a PATCH body: every field optional (`@Omittable()`: absent keeps the
   * value, null is refused). Stored values are checked with it too, field by field.
   */
  dto: new () => object;
  /** Who may PATCH it; default admin. Every staff member of the merchant may read it. */
  writers?: readonly Role[];
  /** Tidies a validated patch before it is stored (trim, dedupe). */
  normalise?: (patch: Partial<T>) => Partial<T>;
  /** Checks that need the database or another module (400/422 by throwing a domain error). */
  check?: (next: T, ctx: SettingsCheckContext) => void | Promise<void>;
  /**
   * A section kept elsewhere (its own tables and API, e.g. the business calendar): listed by
   * `GET /api/v1/settings`, changed through its own route only.
   */
  external?: { load(merchantId: string, manager?: EntityManager): Promise<T>; route: string };
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Declares a section (checked at once, so a typo fails at start). */
export function defineSettings<T extends object>(section: SettingsSection<T>): SettingsSection<T> {
  if (!NAME.test(section.name)) throw new Error(`settings section "${section.name}" must be kebab-case`);
  if (!section.defaults || typeof section.defaults !== 'object' || Array.isArray(section.defaults)) throw new Error(`settings section ${section.name}: defaults must be an object`);
  return { ...section, writers: section.writers ?? [Role.Admin] };
}
