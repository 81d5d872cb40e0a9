import type { EChartsCoreOption } from 'echarts/core';

import type { CallGroup } from './call-results.models';

/** Answered green, unanswered red: readable on the dark and the light theme. */
const COLOURS = { answered: '#4caf50', missed: '#ef5350' };

export interface CallSeriesNames {
  answered: string;
  missed: string;
}

/** Answered and unanswered calls stacked per bar; `labels` names each group (a day, an operator). */
export function callBarsOptions(
  groups: readonly CallGroup[],
  labels: string[],
  names: CallSeriesNames,
): EChartsCoreOption {
  return {
    backgroundColor: 'transparent',
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: (['answered', 'missed'] as const).map((kind) => ({
      id: kind,
      name: names[kind],
      type: 'bar',
      stack: 'calls',
      color: COLOURS[kind],
      data: groups.map((group) => group[kind]),
    })),
  };
}

/** A UTC day (YYYY-MM-DD) as the user reads it, e.g. «7 дек.». */
export function dayLabel(day: string, locale: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? day
    : new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
}
