import type { EChartsCoreOption } from 'echarts/core';

import {
  LANES,
  OUTCOMES,
  type AmocrmRate,
  type Flow,
  type FunnelPipeline,
  type Lane,
  type Outcome,
} from './flow.models';

/** Colours of the outcomes, readable on the dark and the light theme. */
const OUTCOME_COLOURS: Record<Outcome, string> = {
  done: '#4caf50',
  skipped: '#9e9e9e',
  retried: '#ffb300',
  failed: '#ef5350',
};
const LANE_COLOURS: Record<Lane, string> = { interactive: '#42a5f5', sync: '#66bb6a', import: '#ab47bc' };

const BASE: EChartsCoreOption = {
  backgroundColor: 'transparent',
  tooltip: { trigger: 'axis' },
  legend: { bottom: 0 },
  grid: { left: 40, right: 16, top: 16, bottom: 48 },
};

/** Events per hour or day, stacked by outcome. */
export function flowOptions(flow: Flow, names: Record<Outcome, string>, locale: string): EChartsCoreOption {
  const format = new Intl.DateTimeFormat(
    locale,
    flow.bucket === 'hour' ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' },
  );
  return {
    ...BASE,
    xAxis: { type: 'category', data: flow.buckets.map((bucket) => format.format(new Date(bucket.start))) },
    yAxis: { type: 'value', minInterval: 1 },
    series: OUTCOMES.map((outcome) => ({
      id: outcome,
      name: names[outcome],
      type: 'bar',
      stack: 'events',
      color: OUTCOME_COLOURS[outcome],
      data: flow.buckets.map((bucket) => bucket[outcome]),
    })),
  };
}

/** Leads by stage of one pipeline, as a funnel in the pipeline's order. */
export function funnelOptions(pipeline: FunnelPipeline): EChartsCoreOption {
  return {
    backgroundColor: 'transparent',
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [
      {
        id: `pipeline-${pipeline.id}`,
        name: pipeline.name,
        type: 'funnel',
        sort: 'none',
        minSize: '10%',
        left: 8,
        right: 8,
        top: 8,
        bottom: 8,
        label: { show: true, position: 'inside', formatter: '{b}: {c}' },
        data: pipeline.stages.map((stage) => ({ name: stage.name, value: stage.count })),
      },
    ],
  };
}

/** amoCRM requests per second by lane (stacked, average per minute) against the budget line. */
export function rateOptions(
  rate: AmocrmRate,
  names: Record<Lane, string>,
  budgetLabel: string,
  locale: string,
): EChartsCoreOption {
  const format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  return {
    ...BASE,
    xAxis: { type: 'category', data: rate.minutes.map((minute) => format.format(new Date(minute.minute))) },
    yAxis: { type: 'value', max: Math.max(rate.budget, ...rate.minutes.map((minute) => minute.peak)) },
    series: LANES.map((lane, index) => ({
      id: lane,
      name: names[lane],
      type: 'line',
      stack: 'rps',
      areaStyle: {},
      showSymbol: false,
      color: LANE_COLOURS[lane],
      data: rate.minutes.map((minute) => minute.average[lane]),
      ...(index === 0
        ? {
            markLine: {
              symbol: 'none',
              label: { formatter: budgetLabel },
              lineStyle: { color: OUTCOME_COLOURS.failed, type: 'dashed' },
              data: [{ yAxis: rate.budget }],
            },
          }
        : {}),
    })),
  };
}
