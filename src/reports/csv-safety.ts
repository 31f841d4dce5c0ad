/** A plain number (amounts like "-5.00") is data, never a formula; it stays as it is so Excel reads it as a number. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises spreadsheet formula injection (OWASP "CSV injection"): a cell starting with
 * `=`, `+`, `-`, `@`, tab or CR is prefixed with a single quote, so Excel shows it as text.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}
