/**
 * The table a benchmark prints: one row per metric with its target and verdict (`met` / `MISSED`), and helpers
 * to word a verdict.
 */

export interface Row {
  metric: string;
  value: string;
  target: string;
  verdict: string;
}

export function row(metric: string, value: string, target: string, ok: boolean, note = ''): Row {
  return {
    metric,
    value,
    target,
    verdict: target ? `${ok ? 'met' : 'MISSED'}${note ? ` (${note})` : ''}` : '',
  };
}

export function pct(value: number, target: number): string {
  return `${((value / target) * 100).toFixed(0)} %`;
}

export function printTable(rows: Row[]): void {
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...rows.map((r) => [r.metric, r.value, r.target, r.verdict][i].length), 6),
  );
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join(' │ ');
  process.stdout.write(
    `${line(['metric', 'value', 'target', 'verdict'])}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}\n`,
  );
  for (const r of rows) process.stdout.write(`${line([r.metric, r.value, r.target, r.verdict])}\n`);
}
