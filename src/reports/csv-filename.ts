/** Letters and digits of any script kept, everything else a single dash; at most 60 characters. */
function slug(name: string, ascii: boolean): string {
  const kept = name.normalize('NFC').replace(ascii ? /[^A-Za-z0-9._]+/g : /[^\p{L}\p{N}._]+/gu, '-');
  return [...kept.replace(/^[-.]+|[-.]+$/g, '')].slice(0, 60).join('').replace(/-+$/, '');
}

export interface ReportFileName {
  /** UTF-8, as the user reads it (filename*). */
  name: string;
  /** ASCII fallback (filename) for clients without RFC 6266 support. */
  ascii: string;
}

/**
 * `<report>[_<shop>]_<first day>_<last day>.csv` in the shop's dates (SPEC §4): a November report
 * of a Shanghai shop is `…_2026-11-01_2026-11-30.csv` whatever the server's zone. The shop is its
 * name (any script), or the start of its id when the name has nothing ASCII to show.
 */
export function reportFileName(report: string, p: { firstDay: string; lastDay: string; shopId: string | null; shopName: string | null }): ReportFileName {
  const shop = (ascii: boolean) => {
    if (!p.shopId) return '';
    return `${slug(p.shopName ?? '', ascii) || p.shopId.slice(0, 8)}_`;
  };
  return { name: `${report}_${shop(false)}${p.firstDay}_${p.lastDay}.csv`, ascii: `${report}_${shop(true)}${p.firstDay}_${p.lastDay}.csv` };
}

/** RFC 6266 attachment header: the ASCII name, plus the UTF-8 name (RFC 8187) when they differ. */
export function attachmentDisposition(f: ReportFileName): string {
  const plain = `attachment; filename="${f.ascii}"`;
  if (f.name === f.ascii) return plain;
  const encoded = encodeURIComponent(f.name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${plain}; filename*=UTF-8''${encoded}`;
}
