import { BarChart as Bars } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

/**
 * A bar chart drawn by ECharts (only the parts used, so the 概览 chunk stays small; this module is
 * imported by the overview page alone, which is its own lazy chunk). ECharts' aria module describes
 * the data in the container's aria-label; the same numbers are also listed under the chart.
 */
echarts.use([Bars, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export interface Bar {
  name: string;
  value: number;
}

export const BarChart = ({ bars, label, color = '#1f4e9c', height = 260 }: { bars: Bar[]; label: string; color?: string; height?: number }) => {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      aria: { enabled: true, label: { description: `${label}：${bars.map((b) => `${b.name} ${b.value}`).join('，')}` } },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { interval: 0, rotate: bars.length > 5 ? 30 : 0, color: '#333' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#333' } },
      series: [{ type: 'bar', data: bars.map((b) => b.value), itemStyle: { color }, barMaxWidth: 40, label: { show: true, position: 'top', color: '#333' } }],
      animation: false,
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [bars, label, color]);
  return (
    <figure style={{ margin: 0 }}>
      <div ref={el} style={{ height, width: '100%' }} />
      <figcaption className="ea-chart-data">
        {label}：{bars.map((b) => `${b.name} ${b.value}`).join('，')}
      </figcaption>
    </figure>
  );
};
