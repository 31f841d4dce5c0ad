/**
 * Text PostgreSQL cannot store: NUL (text and jsonb refuse it, SQLSTATE 22021) and unpaired UTF-16
 * surrogates (jsonb refuses the escape, encodeURIComponent throws, UTF-8 cannot carry them).
 * No client means either, so the edge refuses them in every string of a request (SPEC §4: never a
 * 500 for anything a client sent) instead of each DTO and each column guarding on its own.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnstorableText {
  /** Dotted path of the offending value (`lines.0.note`); a key is reported by its own path. */
  field: string;
  problem: 'a NUL character' | 'an unpaired surrogate';
}

function problemIn(s: string): UnstorableText['problem'] | null {
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  return m[0] === '\u0000' ? 'a NUL character' : 'an unpaired surrogate';
}

/** A key as it can be shown in a path: the bad characters escaped, so the answer itself is storable. */
function printable(key: string): string {
  return key.replace(/[\u0000\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The first string (or object key) in `value` that cannot be stored, or null. Walks with an
 * explicit stack: the value may come from anywhere, and depth is bounded elsewhere (json-depth.ts).
 */
export function findUnstorableText(value: unknown, root = ''): UnstorableText | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = problemIn(v);
      if (problem) return { field: path, problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const keyPath = path ? `${path}.${printable(key)}` : printable(key);
        const problem = problemIn(key);
        if (problem) return { field: keyPath, problem };
        stack.push([(v as Record<string, unknown>)[key], keyPath]);
      }
    }
  }
  return null;
}
