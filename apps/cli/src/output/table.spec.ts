import { renderTable, type Column } from './table';

interface Row {
  name: string;
  count: number;
}
const columns: Column<Row>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'count', value: (r) => String(r.count), align: 'right' },
  { header: 'note', value: () => 'x' },
];

describe('renderTable', () => {
  it('pads every column to its widest cell, numbers to the right, headers upper-case', () => {
    expect(
      renderTable(columns, [
        { name: 'filter', count: 7 },
        { name: 'window-aggregation', count: 1234 },
      ]),
    ).toBe(
      'NAME                 COUNT   NOTE\n' +
        'filter                   7   x\n' +
        'window-aggregation    1234   x\n',
    );
  });

  it('prints the header alone for no rows and never leaves trailing spaces', () => {
    const table = renderTable([{ header: 'a', value: () => '' }, columns[0]], []);
    expect(table).toBe('A   NAME\n');
    const empty = renderTable(
      [columns[0], { header: 'last', value: () => '' }],
      [{ name: 'n', count: 1 }],
    );
    expect(empty.split('\n').every((line) => line === line.trimEnd())).toBe(true);
  });

  it('keeps one line per row: control characters become spaces', () => {
    expect(renderTable([columns[0]], [{ name: 'a\nb\tc', count: 0 }])).toBe('NAME\na b c\n');
  });

  it('counts code points, so non-ASCII names stay aligned', () => {
    expect(
      renderTable(columns.slice(0, 2), [
        { name: 'größe', count: 1 },
        { name: 'ab', count: 22 },
      ]),
    ).toBe('NAME    COUNT\ngröße       1\nab         22\n');
  });
});
