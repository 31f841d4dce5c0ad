import { getCountryForTimezone } from 'countries-and-timezones';
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/** Used when neither the address nor the shop's timezone names a country (the product's home market). */
export const FALLBACK_PHONE_REGION: CountryCode = 'CN';

function supported(code: string | null | undefined): CountryCode | null {
  const c = code?.trim().toUpperCase();
  return c && /^[A-Z]{2}$/.test(c) && isSupportedCountry(c) ? (c as CountryCode) : null;
}

/** The country of an IANA timezone (Asia/Shanghai → CN, America/New_York → US); null for UTC and the like. */
export function countryOfTimezone(timezone: string | null | undefined): CountryCode | null {
  return timezone ? supported(getCountryForTimezone(timezone)?.id) : null;
}

/**
 * The region a phone number written without a country code belongs to: the country of the
 * address it came with when that is an ISO code (the recipient's phone), else the shop's country
 * read from its timezone, else CN. SPEC §5: "with the shop's country as default".
 */
export function phoneRegion(addressCountry: string | null | undefined, shopTimezone: string | null | undefined): CountryCode {
  return supported(addressCountry) ?? countryOfTimezone(shopTimezone) ?? FALLBACK_PHONE_REGION;
}

/**
 * E.164 form of a phone number as people write it ("+86 138 0013 8000", "138-0013-8000",
 * "86 13800138000", "008613800138000"), or null when it is not a valid number of any country.
 */
export function toE164(raw: string | null | undefined, region: CountryCode): string | null {
  if (!raw) return null;
  const s = raw.trim();
  // Only digits and the usual separators; "555-555-SHIP" is not a number to dial.
  if (!/^[+\d\s().\-/]+$/.test(s) || s.replace(/\D/g, '').length < 5) return null;
  const parsed = parsePhoneNumberFromString(s, region);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** Every E.164 number a search text could mean, one per region the merchant's shops are in. */
export function phoneSearchKeys(q: string, regions: Iterable<CountryCode>): string[] {
  const keys = new Set<string>();
  for (const r of regions) {
    const e = toE164(q, r);
    if (e) keys.add(e);
  }
  return [...keys];
}
