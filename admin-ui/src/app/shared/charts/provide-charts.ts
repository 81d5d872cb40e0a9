import type { Provider } from '@angular/core';
import { provideEchartsCore } from 'ngx-echarts';

/**
 * The chart library for a lazy route's `providers`: loaded with the first chart of that route only, and only the
 * parts of ECharts the console uses (see echarts-setup.ts).
 */
export function provideCharts(): Provider {
  return provideEchartsCore({ echarts: () => import('./echarts-setup').then((m) => m.echarts) });
}
