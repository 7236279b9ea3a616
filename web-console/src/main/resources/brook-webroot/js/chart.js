// A small live line chart in SVG: the console's charts need a time axis, a few series and a
// 15-minute window, which fits in these lines without a library or a build step.
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  return el;
};

export class LiveChart {
  /** series: [{key, label, className}], format: value -> text, windowMs: visible time span. */
  constructor(title, series, format, windowMs = 15 * 60 * 1000) {
    this.series = series;
    this.format = format;
    this.windowMs = windowMs;
    this.points = []; // [{ts, values: {key: n}}]
    this.width = 560;
    this.height = 140;
    this.plot = svg('svg', { viewBox: `0 0 ${this.width} ${this.height}`, class: 'chart-svg', role: 'img' });
    this.legend = h('div', { class: 'legend' });
    this.el = h('figure', { class: 'chart' }, h('figcaption', null, title), this.plot, this.legend);
    this.pending = false;
  }

  push(ts, values) {
    this.points.push({ ts, values });
    const oldest = ts - this.windowMs;
    while (this.points.length > 2 && this.points[0].ts < oldest) this.points.shift();
    this.schedule();
  }

  reset(samples) {
    this.points = samples.map(s => ({ ts: s.ts, values: s.values }));
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  draw() {
    const { width, height, points } = this;
    const left = 56, bottom = 18, top = 6;
    this.plot.replaceChildren();
    const now = points.length ? points[points.length - 1].ts : Date.now();
    const start = now - this.windowMs;
    let max = 0;
    for (const p of points) for (const s of this.series) max = Math.max(max, p.values[s.key] || 0);
    const yMax = max === 0 ? 1 : max * 1.1;
    const x = ts => left + (width - left - 4) * (ts - start) / this.windowMs;
    const y = v => top + (height - top - bottom) * (1 - v / yMax);
    this.plot.appendChild(svg('line', { x1: left, x2: width - 4, y1: y(0), y2: y(0), class: 'axis' }));
    let previousLabel = null;
    for (const frac of [0.5, 1]) {
      const value = yMax * frac;
      const text = this.format(value);
      if (text === previousLabel) continue; // small integer scales (a lag of 0 or 1) would repeat a label
      previousLabel = text;
      const label = svg('text', { x: left - 4, y: y(value) + 4, class: 'tick', 'text-anchor': 'end' });
      label.textContent = text;
      this.plot.appendChild(label);
      this.plot.appendChild(svg('line', { x1: left, x2: width - 4, y1: y(value), y2: y(value), class: 'grid' }));
    }
    for (const minutesAgo of [15, 10, 5, 0]) {
      const ts = now - minutesAgo * 60000;
      if (minutesAgo * 60000 > this.windowMs) continue;
      const label = svg('text', { x: x(ts), y: height - 4, class: 'tick', 'text-anchor': minutesAgo === 0 ? 'end' : 'middle' });
      label.textContent = minutesAgo === 0 ? 'now' : '-' + minutesAgo + ' min';
      this.plot.appendChild(label);
    }
    for (const s of this.series) {
      const coords = points.filter(p => p.ts >= start).map(p => `${x(p.ts).toFixed(1)},${y(p.values[s.key] || 0).toFixed(1)}`);
      if (coords.length > 1) this.plot.appendChild(svg('polyline', { points: coords.join(' '), class: 'line ' + s.className }));
    }
    const last = points[points.length - 1];
    this.legend.replaceChildren(...this.series.map(s => h('span', { class: 'key ' + s.className },
      s.label + ': ' + (last ? this.format(last.values[s.key] || 0) : '–'))));
  }
}
