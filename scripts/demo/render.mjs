// Terminal tables that line up with Chinese text (CJK characters take two columns, which
// console.table does not count), and a generic renderer for report blocks: an object of figures
// becomes a key/value table, an array of flat rows a table (CONTRACTS.md: every summary block is one of those).

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const width = (s) => [...s].reduce((w, ch) => w + (WIDE.test(ch) ? 2 : 1), 0);
const MAX = 48;

function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function clip(s) {
  if (width(s) <= MAX) return s;
  let out = '';
  for (const ch of s) {
    if (width(out + ch) > MAX - 1) break;
    out += ch;
  }
  return `${out}…`;
}

export const pad = (s, w, right) => (right ? ' '.repeat(w - width(s)) + s : s + ' '.repeat(w - width(s)));

/** rows: array of objects; columns: keys (default: the union, in first-seen order). */
export function table(rows, columns) {
  if (!rows.length) return '  (none)';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const text = rows.map((r) => cols.map((c) => clip(cell(r[c]).replace(/\s+/g, ' '))));
  const numeric = cols.map((_, i) => rows.every((r) => typeof r[cols[i]] === 'number' || r[cols[i]] === null || r[cols[i]] === undefined));
  const widths = cols.map((c, i) => Math.max(width(c), ...text.map((t) => width(t[i]))));
  const line = (parts) => `  │ ${parts.join(' │ ')} │`;
  const rule = (l, m, r) => `  ${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  return [
    rule('┌', '┬', '┐'),
    line(cols.map((c, i) => pad(c, widths[i], false))),
    rule('├', '┼', '┤'),
    ...text.map((t) => line(t.map((v, i) => pad(v, widths[i], numeric[i])))),
    rule('└', '┴', '┘'),
  ].join('\n');
}

/** An instant as the shop reads it: "12-01 16:00" in its timezone. */
export function localTime(iso, timeZone) {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(iso));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const isScalar = (v) => v === null || typeof v !== 'object';
const isFlatRow = (v) => v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => isScalar(x) || (Array.isArray(x) && x.every(isScalar)));

/** Renders any report block: figures as key/value, rows as a table, nested objects block by block. */
export function renderBlock(title, value, out = []) {
  if (Array.isArray(value)) {
    out.push(`\n▸ ${title}`);
    if (value.every(isFlatRow)) out.push(table(value));
    else value.forEach((v, i) => renderBlock(`${title}[${i}]`, v, out));
  } else if (value && typeof value === 'object') {
    const scalars = Object.entries(value).filter(([, v]) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));
    const nested = Object.entries(value).filter(([, v]) => !(isScalar(v) || (Array.isArray(v) && v.every(isScalar))));
    if (scalars.length) {
      out.push(`\n▸ ${title}`);
      out.push(table(scalars.map(([k, v]) => ({ key: k, value: Array.isArray(v) ? v.join(', ') : v }))));
    }
    for (const [k, v] of nested) renderBlock(`${title}.${k}`, v, out);
  } else {
    out.push(`\n▸ ${title}: ${cell(value)}`);
  }
  return out;
}
