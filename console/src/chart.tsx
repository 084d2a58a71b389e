/** A bar chart in plain SVG (no chart library): `role="img"`, named by its title and described by a text summary. */
import { useId } from 'react';
import { barHeights } from './charts.js';

export interface Bar {
  key: string;
  /** The axis label under the bar (kept short). */
  label: string;
  value: number;
  /** The value as shown (money, count) in the bar's tooltip. */
  shown: string;
}

const HEIGHT = 140;
const AXIS = 20; // room for labels below the bars
const LEFT = 4;
const WIDTH = 360;

/**
 * Vertical bars scaled to a nice top value. The SVG is drawn in a fixed coordinate space and
 * scales to the width of its container (phone to desktop, capped in CSS); only every n-th label
 * is drawn when bars are many.
 */
export function BarChart({ bars, title, summary, topLabel, testid, tone = 'brand' }: { bars: readonly Bar[]; title: string; summary: string; topLabel: (top: number) => string; testid?: string; tone?: 'brand' | 'info' }) {
  const id = useId();
  const { top, heights } = barHeights(bars.map((b) => b.value), HEIGHT);
  const n = Math.max(bars.length, 1);
  const width = WIDTH;
  const slot = Math.min(48, (WIDTH - LEFT) / n);
  const gap = slot / 5;
  const every = Math.max(1, Math.ceil(40 / slot)); // a label at least every 40 units apart
  return (
    <figure className="chart" data-testid={testid}>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${width} ${HEIGHT + AXIS + 14}`} className={`chart-svg chart-${tone}`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        <text x={LEFT} y={10} className="chart-axis">
          {topLabel(top)}
        </text>
        <line x1={LEFT} x2={width} y1={14} y2={14} className="chart-grid" />
        <line x1={LEFT} x2={width} y1={14 + HEIGHT / 2} y2={14 + HEIGHT / 2} className="chart-grid" />
        <line x1={LEFT} x2={width} y1={14 + HEIGHT} y2={14 + HEIGHT} className="chart-base" />
        {bars.map((b, i) => {
          const h = heights[i] ?? 0;
          const x = LEFT + i * slot + gap / 2;
          return (
            <g key={b.key}>
              <rect x={x} y={14 + HEIGHT - h} width={slot - gap} height={h} className="chart-bar">
                <title>{`${b.label}: ${b.shown}`}</title>
              </rect>
              {i % every === 0 ? (
                <text x={Math.min(width - 16, Math.max(LEFT + 16, x + (slot - gap) / 2))} y={14 + HEIGHT + 14} textAnchor="middle" className="chart-label">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
}

/** Horizontal bars, one per named item (sellers): readable at 375 px with long Chinese names. */
export function HBarChart({ bars, title, summary, testid }: { bars: readonly Bar[]; title: string; summary: string; testid?: string }) {
  const id = useId();
  const ROW = 28;
  const W = 320;
  const { heights } = barHeights(bars.map((b) => b.value), W);
  return (
    <figure className="chart" data-testid={testid}>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${W + 4} ${Math.max(1, bars.length) * ROW}`} className="chart-svg chart-brand">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {bars.map((b, i) => (
          <g key={b.key}>
            <rect x={0} y={i * ROW + 14} width={heights[i] ?? 0} height={ROW - 16} className="chart-bar">
              <title>{`${b.label}: ${b.shown}`}</title>
            </rect>
            <text x={0} y={i * ROW + 11} className="chart-label">
              {`${b.label} · ${b.shown}`}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
}
