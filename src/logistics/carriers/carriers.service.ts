import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../kernel/auth/roles.js';
import { InvalidInput, RuleViolation } from '../../kernel/errors/domain-errors.js';
import { loadCarrierRegistry } from '../../carriers/carrier-directory.js';
import { carrierKey } from '../../carriers/carrier-registry.js';
import { type CarrierListDto, type CarrierResponseDto, type ResolvedCarrierDto, toCarrierResponse, type UpdateCarrierDto } from './carrier.dto.js';

const CODE = /^[a-z0-9]{1,50}$/;

/** The carrier registry API (SPEC §6): list, resolve a name, and a merchant's edits. */
@Injectable()
export class CarriersService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(caller: Caller): Promise<CarrierListDto> {
    return { items: (await loadCarrierRegistry(this.db.manager, caller.merchantId)).list().map(toCarrierResponse) };
  }

  async resolve(caller: Caller, name: string): Promise<ResolvedCarrierDto> {
    const registry = await loadCarrierRegistry(this.db.manager, caller.merchantId);
    const r = registry.resolve(name);
    if (!r) throw new InvalidInput('Validation failed', [{ field: 'name', errors: ['name must contain a letter or digit'] }]);
    const entry = registry.get(r.code);
    return { name, code: r.code, known: r.known, carrier: entry ? toCarrierResponse(entry) : null };
  }

  /**
   * Sets the merchant's display name and aliases of a carrier (a new one when the code is not
   * shipped). A name already meaning another carrier is refused (422), so a name always has one
   * meaning. Parcels and unmatched pushes filed under one of the new names (an unknown carrier's
   * slug) move to the code.
   */
  async update(caller: Caller, code: string, dto: UpdateCarrierDto): Promise<CarrierResponseDto> {
    return this.db.transaction(async (m) => {
      // One editor per merchant at a time: the conflict check below reads the whole registry.
      await m.query('SELECT id FROM merchants WHERE id = $1 FOR UPDATE', [caller.merchantId]);
      const registry = await loadCarrierRegistry(m, caller.merchantId);
      if (!CODE.test(code)) {
        const owner = registry.ownerOf(code);
        throw new InvalidInput(`Carrier code must be lower-case letters and digits (Kuaidi100 style)${owner ? `; ${code} is a name of ${owner}` : ''}`, [
          { field: 'code', errors: ['code must match ^[a-z0-9]{1,50}$'] },
        ]);
      }
      const existing = registry.get(code);
      const codeOwner = registry.ownerOf(code);
      if (!existing && codeOwner) throw new RuleViolation(`${code} is already a name of carrier ${codeOwner}; edit that carrier instead`, { carrier: codeOwner });
      if (!existing && !dto.displayName) throw new InvalidInput('Validation failed', [{ field: 'displayName', errors: ['displayName is required for a carrier that is not shipped'] }]);

      const aliases = dedupe(dto.aliases ?? existing?.merchantAliases ?? []);
      const taken = [...aliases, ...(dto.displayName ? [dto.displayName] : [])]
        .map((name) => ({ name, owner: registry.ownerOf(name) }))
        .filter((x) => x.owner && x.owner !== code);
      if (taken.length) {
        throw new RuleViolation(`${taken.map((t) => `"${t.name}" already names ${t.owner}`).join('; ')}`, { conflicts: taken.map((t) => ({ name: t.name, carrier: t.owner })) });
      }
      const empty = aliases.filter((a) => !carrierKey(a));
      if (empty.length) throw new InvalidInput('Validation failed', [{ field: 'aliases', errors: ['each alias must contain a letter or digit'] }]);

      await m.query(
        `INSERT INTO carriers (merchant_id, code, display_name, aliases) VALUES ($1, $2, $3, $4)
         ON CONFLICT (merchant_id, code) DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, carriers.display_name), aliases = EXCLUDED.aliases, updated_at = now()`,
        [caller.merchantId, code, dto.displayName ?? null, aliases],
      );
      await this.refile(m, caller.merchantId, code, [...aliases, ...(dto.displayName ? [dto.displayName] : [])]);
      const after = await loadCarrierRegistry(m, caller.merchantId);
      return toCarrierResponse(after.get(code)!);
    });
  }

  /** Parcels and pushes filed under a name's slug before the name was known move to the code (a clash leaves the parcel where it was). */
  private async refile(m: EntityManager, merchantId: string, code: string, names: string[]): Promise<void> {
    const slugs = [...new Set(names.map(carrierKey))].filter((k) => k && k !== code);
    if (!slugs.length) return;
    // One statement per slug: two parcels under two new names with one number must not both move.
    for (const slug of slugs) {
      await m.query(
        `UPDATE shipments s SET carrier = $2, updated_at = now()
          WHERE s.merchant_id = $1 AND s.carrier = $3
            AND NOT EXISTS (SELECT 1 FROM shipments o WHERE o.merchant_id = s.merchant_id AND lower(o.carrier) = $2 AND o.tracking_no = s.tracking_no)`,
        [merchantId, code, slug],
      );
    }
    await m.query(`UPDATE carrier_pushes SET carrier = $2 WHERE merchant_id = $1 AND shipment_id IS NULL AND carrier = ANY($3::text[])`, [merchantId, code, slugs]);
    await m.query(`UPDATE carrier_pushes SET previous_carrier = $2 WHERE merchant_id = $1 AND shipment_id IS NULL AND previous_carrier = ANY($3::text[])`, [merchantId, code, slugs]);
  }
}

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => n.trim()).filter((n) => {
    const k = carrierKey(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
