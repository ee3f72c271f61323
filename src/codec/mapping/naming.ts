/**
 * Output names for COBOL data names. COBOL names are letters, digits and hyphens, usually upper
 * case (IBM Enterprise COBOL Language Reference, "User-defined words"); event consumers expect
 * camelCase JSON, so that is the default a mapping applies.
 */

export type NamingStyle = 'as-is' | 'camelCase' | 'snake_case';

/** `COMPANY-ID` -> `companyId` (camelCase), `company_id` (snake_case), `COMPANY-ID` (as-is). */
export function applyNaming(cobolName: string, style: NamingStyle): string {
  if (style === 'as-is') return cobolName;
  const words = cobolName.split(/[-_]+/).filter((w) => w.length > 0).map((w) => w.toLowerCase());
  if (style === 'snake_case') return words.join('_');
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}
