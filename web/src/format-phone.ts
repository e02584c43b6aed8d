/** `+33612345678` → `06 12 34 56 78`; other numbers stay in international form. */
export function formatPhone(value: string): string {
  const compact = value.replace(/[\s.-]/g, "");
  const french = /^\+33([1-9]\d{8})$/.exec(compact);
  if (french?.[1]) return `0${french[1]}`.replace(/(\d{2})(?=\d)/g, "$1 ");
  return compact;
}

/**
 * What the person typed, as E.164 when it is clearly French (`06…`, `+33 6…`), otherwise as typed
 * without spaces; the API has the final word.
 */
export function normalisePhone(value: string): string {
  const compact = value.replace(/[\s.()-]/g, "");
  if (/^0[1-9]\d{8}$/.test(compact)) return `+33${compact.slice(1)}`;
  if (/^0033[1-9]\d{8}$/.test(compact)) return `+${compact.slice(2)}`;
  return compact;
}
