import { escapeHtml as esc } from "./escape.js";

/** The colours a bar can take; the stylesheet defines one class per tone. */
export type Tone = "error" | "warning" | "note" | "none";

/** One bar: a label (a kind, possibly from a log), its value and the text shown beside it. */
export interface Bar {
  label: string;
  value: number;
  text: string;
  tone: Tone;
}

const LABEL_WIDTH = 150;
const BAR_WIDTH = 170;
const ROW_HEIGHT = 22;
const WIDTH = 480;

/**
 * A horizontal bar chart as inline SVG, drawn here rather than by a library so that the page
 * stays one self-contained file with nothing to load. Each series is scaled to its own maximum
 * (bytes and error counts do not share a unit). Colours come from the stylesheet's classes, so
 * the chart follows the light or dark scheme.
 */
export function barChart(title: string, series: readonly { name: string; bars: Bar[] }[]): string {
  const rows: string[] = [];
  let y = 0;
  for (const { name, bars } of series) {
    if (bars.length === 0) continue;
    rows.push(`<text class="chart-head" x="0" y="${y + 15}">${esc(name)}</text>`);
    y += ROW_HEIGHT;
    const max = Math.max(1, ...bars.map((b) => b.value));
    for (const bar of bars) {
      rows.push(barRow(bar, y, (bar.value / max) * BAR_WIDTH));
      y += ROW_HEIGHT;
    }
  }
  if (rows.length === 0) return "";
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}"><title>${esc(title)}</title>${rows.join("")}</svg>`;
}

function barRow(bar: Bar, y: number, width: number): string {
  // A non-zero value gets at least a sliver, so that "1 byte" is not drawn like nothing.
  const w = bar.value > 0 ? Math.max(2, Math.round(width)) : 0;
  const label = bar.label.length > 22 ? `${bar.label.slice(0, 21)}…` : bar.label;
  return (
    `<text class="chart-label" x="0" y="${y + 15}">${esc(label)}</text>` +
    `<rect class="bar tone-${bar.tone}" x="${LABEL_WIDTH}" y="${y + 4}" width="${w}" height="14" rx="2"></rect>` +
    `<text class="chart-value" x="${LABEL_WIDTH + w + 6}" y="${y + 15}">${esc(bar.text)}</text>`
  );
}
