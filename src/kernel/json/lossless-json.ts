import { jsonNestsDeeperThan, MAX_WEBHOOK_JSON_DEPTH, tooDeepMessage } from '../http/json-depth.js';

/**
 * JSON.parse without silent rounding: Shopify ids exceed 2^53 and `JSON.parse` rounds them
 * ("820982911946154508" would become 820982911946154500). Before parsing, every number token that
 * a double cannot hold exactly — integers beyond the safe range, and any number with a fraction or
 * exponent (amounts) — is turned into a string holding the literal digits. Safe integers stay numbers.
 * Nesting beyond MAX_WEBHOOK_JSON_DEPTH is a SyntaxError, like any other body that is not a payload.
 */
export function parseJsonLossless(text: string): unknown {
  if (jsonNestsDeeperThan(text, MAX_WEBHOOK_JSON_DEPTH)) throw new SyntaxError(tooDeepMessage(MAX_WEBHOOK_JSON_DEPTH));
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // skip a string literal, honouring escapes
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) i++;
        else break;
      }
      const token = text.slice(start, i);
      if (needsQuoting(token)) {
        out += text.slice(last, start) + '"' + token + '"';
        last = i;
      }
      continue;
    }
    i++;
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

function needsQuoting(token: string): boolean {
  if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(token)) return false; // let JSON.parse report it
  if (/[.eE]/.test(token)) return true;
  return !Number.isSafeInteger(Number(token));
}

/** A platform id as text: strings as they are, safe integers printed. */
export function idText(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}
