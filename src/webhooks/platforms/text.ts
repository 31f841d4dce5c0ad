import { decodeHTMLStrict } from 'entities';
import { str } from './platform-adapter.js';

/**
 * Text a person reads (titles, names, addresses, notes), as people read it: HTML entities
 * decoded once (WooCommerce stores `Ship Your Idea &ndash; Color: Black`), no-break spaces as
 * spaces. Strict decoding: only `&name;` / `&#n;` with the semicolon, so "Tom&notes" or "R&D"
 * stay as written. SPEC §5 "Names and titles as people read them".
 */
export function text(v: unknown): string | null {
  const s = str(v);
  if (s === null || !/[&\u00a0]/.test(s)) return s;
  const decoded = decodeHTMLStrict(s).replace(/\u00a0/g, ' ').replace(/\u0000/g, '').trim();
  return decoded === '' ? null : decoded;
}

/** Joins address parts ("address_1", "address_2") with a space, decoded; null when all are empty. */
export function joinText(...parts: unknown[]): string | null {
  const s = parts.map(text).filter((p): p is string => !!p).join(' ');
  return s || null;
}

// Scripts whose names are written family name first, without a space (王小红, 山田太郎, 김민준).
const FAMILY_FIRST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * A person's name from the platform's given and family name, in its script's order: CJK family
 * name first, no space (first_name 小红, last_name 王 → 王小红); otherwise "Given Family". SPEC §5.
 */
export function personName(given: unknown, family: unknown): string | null {
  const g = text(given);
  const f = text(family);
  if (!g || !f) return g ?? f;
  return FAMILY_FIRST.test(g) || FAMILY_FIRST.test(f) ? `${f}${g}` : `${g} ${f}`;
}
