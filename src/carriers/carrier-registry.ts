import { type CarrierDefinition, DEFAULT_CARRIERS } from './default-carriers.js';

/** Longest carrier code kept (an unknown name's slug is cut there). */
export const CARRIER_CODE_MAX = 50;

/**
 * The comparison key of a carrier name: NFKC (full-width "ＳＦ" → "SF"), lower case, letters and
 * digits only — so "S.F. Express", "SF-Express" and "sf express" are one name.
 */
export function carrierKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '').slice(0, CARRIER_CODE_MAX);
}

/** A merchant's edit of one carrier (a row of `carriers`). */
export interface CarrierEdit {
  code: string;
  displayName: string | null;
  aliases: string[];
}

export interface CarrierEntry {
  code: string;
  displayName: string;
  chineseName: string | null;
  shortCode: string | null;
  /** Shipped aliases and the merchant's, in that order. */
  aliases: string[];
  merchantAliases: string[];
  /** In the shipped defaults (else added by the merchant). */
  shipped: boolean;
}

export interface ResolvedCarrier {
  /** Canonical code: the registry's, or the name's slug when the registry does not know it. */
  code: string;
  known: boolean;
}

/**
 * One merchant's view of the carrier registry (SPEC §6): shipped defaults plus the merchant's
 * edits. Every name of a carrier (code, display and Chinese name, short code, aliases) resolves
 * to its canonical code; a name the registry does not know resolves to its own slug, so it is
 * kept, never refused, and still compares equal to itself written another way.
 */
export class CarrierRegistry {
  private readonly entries = new Map<string, CarrierEntry>();
  private readonly owners = new Map<string, string>();

  constructor(defaults: readonly CarrierDefinition[], edits: readonly CarrierEdit[] = []) {
    for (const d of defaults) {
      this.entries.set(d.code, {
        code: d.code, displayName: d.displayName, chineseName: d.chineseName, shortCode: d.shortCode ?? null, aliases: [...d.aliases], merchantAliases: [], shipped: true,
      });
      for (const n of [d.code, d.displayName, d.chineseName, d.shortCode ?? null, ...d.aliases]) this.claim(n, d.code);
    }
    for (const e of edits) {
      const entry = this.entries.get(e.code) ?? {
        code: e.code, displayName: e.code, chineseName: null, shortCode: null, aliases: [], merchantAliases: [], shipped: false,
      };
      // A renamed shipped carrier still answers to its shipped name.
      if (e.displayName && e.displayName !== entry.displayName) {
        if (entry.shipped) entry.aliases.push(entry.displayName);
        entry.displayName = e.displayName;
      }
      entry.merchantAliases = [...e.aliases];
      this.entries.set(e.code, entry);
    }
    // Where a merchant's name and a shipped one collide, the merchant's edit wins for that merchant.
    for (const e of edits) for (const n of [e.code, e.displayName, ...e.aliases]) this.claim(n, e.code, true);
  }

  private claim(name: string | null, code: string, override = false): void {
    if (!name) return;
    const k = carrierKey(name);
    if (k && (override || !this.owners.has(k))) this.owners.set(k, code);
  }

  /** The canonical code of any spelling; null for a name with no letter or digit at all. */
  resolve(name: string): ResolvedCarrier | null {
    const k = carrierKey(name);
    if (!k) return null;
    const owner = this.owners.get(k);
    return owner ? { code: owner, known: true } : { code: k, known: false };
  }

  /** The code resolving `name`, or the name's slug; `fallback` when it has no letter or digit. */
  codeOf(name: string, fallback = 'unknown'): string {
    return this.resolve(name)?.code ?? fallback;
  }

  /** The carrier a name already belongs to, if any. */
  ownerOf(name: string): string | undefined {
    return this.owners.get(carrierKey(name));
  }

  get(code: string): CarrierEntry | undefined {
    return this.entries.get(code);
  }

  list(): CarrierEntry[] {
    return [...this.entries.values()].sort((a, b) => Number(b.shipped) - Number(a.shipped) || a.code.localeCompare(b.code));
  }

  /** Every name that resolves to a carrier: its code, display, Chinese and short names, aliases. */
  namesOf(code: string): string[] {
    const e = this.entries.get(code);
    if (!e) return [];
    return [e.code, e.displayName, e.chineseName, e.shortCode, ...e.aliases, ...e.merchantAliases].filter((n): n is string => !!n);
  }
}

/** The shipped defaults alone: for what belongs to no merchant (the polling configuration, migrations). */
export const SHIPPED_CARRIERS = new CarrierRegistry(DEFAULT_CARRIERS);
