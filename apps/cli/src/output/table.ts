/** A column of a table: its header and how a row shows in it. */
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Numbers align right. */
  align?: 'left' | 'right';
}

/**
 * Rows as plain aligned text, kubectl style: upper-case headers, columns padded to their widest
 * cell and separated by three spaces, no trailing spaces. Width counts code points, so names
 * with non-ASCII letters stay aligned.
 */
export function renderTable<T>(columns: Column<T>[], rows: T[]): string {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const headers = columns.map((column) => column.header.toUpperCase());
  const widths = columns.map((_, i) =>
    Math.max(width(headers[i]), ...cells.map((row) => width(row[i]))),
  );
  const line = (row: string[]) =>
    row
      .map((cell, i) => {
        const last = i === row.length - 1;
        if (columns[i].align === 'right') return pad(cell, widths[i], 'left');
        return last ? cell : pad(cell, widths[i], 'right');
      })
      .join('   ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

const width = (text: string) => [...text].length;

function pad(text: string, to: number, side: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return side === 'left' ? fill + text : text + fill;
}

/** A cell is one line: control characters (newlines, tabs) become spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
