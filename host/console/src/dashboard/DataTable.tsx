import { Table, VisuallyHidden } from '@mantine/core';

export interface DataRow {
  key: string;
  label: string;
  value: number;
  formatted: string;
}

/**
 * A chart's or the map's data as a table for screen readers (visually hidden): the same numbers the drawing shows,
 * every bucket, not only those drawn. data-key/data-value carry the API's key and count for the tests.
 */
export function DataTable({ id, caption, keyHeader, valueHeader, rows }: {
  id: string;
  caption: string;
  keyHeader: string;
  valueHeader: string;
  rows: DataRow[];
}) {
  return (
    <VisuallyHidden>
      <Table id={id} data-testid={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{keyHeader}</th>
            <th scope="col">{valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key} data-value={row.value}>
              <th scope="row">{row.label}</th>
              <td>{row.formatted}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </VisuallyHidden>
  );
}
