/**
 * Db2 datetime text -> the port's forms (sql-port.ts), pure. Db2 SQL Reference, "Datetime values",
 * string representations:
 * - TIMESTAMP 'YYYY-MM-DD-HH.MM.SS[.f{1,12}]' (Db2) or 'YYYY-MM-DD HH:MM:SS[.f]' (ODBC, and the
 *   PostgreSQL stand-in) -> 'YYYY-MM-DD HH:MM:SS[.f{1,12}]', every fractional digit kept;
 * - TIME 'HH.MM.SS' (ISO/EUR) or 'HH:MM:SS' (JIS) -> 'HH:MM:SS';
 * - DATE 'YYYY-MM-DD' (ISO/JIS), 'MM/DD/YYYY' (USA), 'DD.MM.YYYY' (EUR) -> 'YYYY-MM-DD'.
 * Anything else -> null (the caller says which column broke the rule).
 */

export function timestampText(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[- T](\d{2})[.:](\d{2})[.:](\d{2})(?:[.,](\d{1,12}))?$/.exec(text.trim());
  return m ? `${m[1]} ${m[2]}:${m[3]}:${m[4]}${m[5] ? `.${m[5]}` : ''}` : null;
}

export function timeText(text: string): string | null {
  const m = /^(\d{2})[.:](\d{2})[.:](\d{2})$/.exec(text.trim());
  return m ? `${m[1]}:${m[2]}:${m[3]}` : null;
}

export function dateText(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const usa = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  if (usa) return `${usa[3]}-${usa[1]}-${usa[2]}`;
  const eur = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(t);
  if (eur) return `${eur[3]}-${eur[2]}-${eur[1]}`;
  return null;
}
