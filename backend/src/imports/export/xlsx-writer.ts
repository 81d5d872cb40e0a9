import { cellText, type CellValue } from './cell-safety';
import { ZipStreamWriter } from './zip-writer';

/**
 * An .xlsx workbook of one sheet written as a stream: the sheet XML is generated row by row straight into a
 * streaming zip, so a million rows never sit in memory (SheetJS's writer needs the whole workbook). Text cells are
 * inline strings (no shared-string table to hold), formula-neutralised like the CSV; numbers are numbers; the
 * header row is bold and frozen.
 */
export async function* xlsxChunks(
  sheetName: string,
  headers: readonly string[],
  pages: AsyncIterable<readonly (readonly CellValue[])[]>,
): AsyncGenerator<Buffer> {
  const zip = new ZipStreamWriter();
  yield* zip.entry('[Content_Types].xml', [CONTENT_TYPES]);
  yield* zip.entry('_rels/.rels', [ROOT_RELS]);
  yield* zip.entry('xl/workbook.xml', [workbookXml(sheetName)]);
  yield* zip.entry('xl/_rels/workbook.xml.rels', [WORKBOOK_RELS]);
  yield* zip.entry('xl/styles.xml', [STYLES]);
  yield* zip.entry('xl/worksheets/sheet1.xml', sheetXml(headers, pages));
  yield* zip.finish();
}

async function* sheetXml(
  headers: readonly string[],
  pages: AsyncIterable<readonly (readonly CellValue[])[]>,
): AsyncGenerator<string> {
  yield (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    '<sheetData>' +
    rowXml(1, headers, 1)
  );
  let rowNumber = 1;
  for await (const rows of pages) {
    let chunk = '';
    for (const row of rows) {
      rowNumber += 1;
      chunk += rowXml(rowNumber, row, 0);
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  yield '</sheetData></worksheet>';
}

function rowXml(rowNumber: number, values: readonly CellValue[], style: number): string {
  let xml = `<row r="${rowNumber}">`;
  values.forEach((value, index) => {
    const ref = `${columnLetters(index)}${rowNumber}`;
    const s = style ? ` s="${style}"` : '';
    if (typeof value === 'number' && Number.isFinite(value)) xml += `<c r="${ref}"${s}><v>${value}</v></c>`;
    else {
      const text = cellText(value);
      if (text !== '')
        xml += `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
    }
  });
  return xml + '</row>';
}

/** A (0) … Z (25), AA (26) … */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** XML text: markup escaped, characters XML 1.0 forbids (control characters) dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const CONTENT_TYPES =
  XML_HEAD +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '</Types>';

const ROOT_RELS =
  XML_HEAD +
  `<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
  '</Relationships>';

const WORKBOOK_RELS =
  XML_HEAD +
  `<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/>` +
  '</Relationships>';

const STYLES =
  XML_HEAD +
  `<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '</styleSheet>';

function workbookXml(sheetName: string): string {
  const name = escapeXml(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31)).replace(/"/g, '&quot;');
  return (
    XML_HEAD +
    `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`
  );
}
