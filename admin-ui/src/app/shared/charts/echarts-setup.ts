/**
 * The part of ECharts the console's charts use (bar, line, funnel; SVG renderer), loaded lazily by the routes that
 * draw charts (`provideCharts()` in provide-charts.ts), so the console's first load stays small.
 */
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  FunnelChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  SVGRenderer,
]);

export { echarts };
