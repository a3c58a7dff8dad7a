/**
 * RFC 4180 CSV, as every download of Waymark writes it (figures, records of processing): a field with a comma,
 * quote, CR or LF is quoted, quotes doubled, and no cell can run as a spreadsheet formula. Kept here, a few lines,
 * rather than a library: nothing else of CSV is needed.
 */
export const csvField = (v: string): string => {
  const safe = neutraliseFormula(v);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * A cell a spreadsheet would run as a formula (`= + - @`, or a tab or carriage return before one) is given a leading
 * apostrophe, so that it is shown as text (OWASP's CSV injection advice). Names cannot start so (text.ts); this is
 * defence in depth for every cell, numbers excepted (a negative figure stays a number).
 */
export const neutraliseFormula = (v: string): string => (/^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v);

export const toCsv = (rows: readonly (readonly string[])[]): string => rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
