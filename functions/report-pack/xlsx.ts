import ExcelJS from 'exceljs';
import type { PackSheet } from '../../shared/domain/pack';

/**
 * Writes pack sheets as an XLSX workbook with exceljs (a kept library, and a large one: it is in the report-pack
 * function's bundle only, so the other report routes do not carry it).
 */
export async function writeWorkbook(sheets: readonly PackSheet[], title: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Waymark';
  workbook.title = title;
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name);
    for (const row of sheet.rows) ws.addRow(row);
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.columns.forEach((column) => {
      column.width = Math.min(60, Math.max(10, ...sheet.rows.map((r) => String(r[(column.number ?? 1) - 1] ?? '').length + 2)));
    });
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
