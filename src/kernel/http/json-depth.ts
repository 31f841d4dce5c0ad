/**
 * How deeply JSON objects and arrays may nest. Every body this service takes nests a few levels;
 * thousands of levels only serve to overflow the stack of whatever walks the parsed value
 * (validation, class-transformer, canonical hashing). Platform payloads get more room.
 */
export const MAX_JSON_DEPTH = 32;
export const MAX_WEBHOOK_JSON_DEPTH = 64;

/**
 * Whether `text` nests objects/arrays deeper than `max`, by one linear scan of the raw text
 * (brackets inside string literals do not count). Cheap enough to run before `JSON.parse`,
 * and it does not recurse itself. Malformed JSON is left for the parser to report.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/** The error for a body nested beyond the limit; callers map it to their own 400. */
export function tooDeepMessage(max: number): string {
  return `JSON nested too deeply: at most ${max} levels of objects and arrays`;
}
