/**
 * The client's file name as display metadata only: the last path component, without control
 * characters, at most 255 characters. It never becomes a path (storage is keyed by sha256).
 */
export function sanitizeFileName(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (!clean || clean === '.' || clean === '..') return null;
  return [...clean].slice(0, 255).join('');
}
