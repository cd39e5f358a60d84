import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Bar charts on a grid, with tooltips, drawn as SVG: what the dashboard and the reports draw (always in a lazily loaded chunk).
echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

/** One ECharts instance in a div, resized with its box; the option is replaced whenever it changes. */
export function EChart({ option, height, label }: { option: EChartsCoreOption; height: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    const instance = echarts.init(element, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  // The drawing is an image to assistive technology; its data is in the table next to it.
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} data-chart-ready="true" />;
}
