// Trends: event volume per day, month or year for the selection of the filter bar, stacked by quad class,
// with the mean intensity (-10..+10) and the mean tone of the events' sentences; every period in a table
// below. A click on a period lists its numbers and opens it on the timeline.
import { show } from '../inspector.js';
import { QUADS, QUAD_COLOURS, api, dateRange, el, fill, jsonLink, plural, state, undatedNote } from '../util.js';

const NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...kids) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const kid of kids) node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  return node;
}
const fmt = (v, digits = 2) => (v === null || v === undefined ? '—' : Number(v).toFixed(digits));

// Ticks on a time axis from t0 to t1 (ms): years, or months when the span is short; at most ~10 labels.
function ticks(t0, t1) {
  const out = [];
  const y0 = new Date(t0).getUTCFullYear();
  const y1 = new Date(t1).getUTCFullYear();
  const years = y1 - y0 + 1;
  if (years >= 3) {
    const step = [1, 2, 5, 10, 20, 50, 100].find((s) => years / s <= 10) || 200;
    for (let y = Math.ceil(y0 / step) * step; y <= y1; y += step) out.push([Date.UTC(y, 0, 1), String(y)]);
  } else {
    const months = (y1 - y0) * 12 + new Date(t1).getUTCMonth() - new Date(t0).getUTCMonth() + 1;
    const step = [1, 2, 3, 6].find((s) => months / s <= 10) || 12;
    for (let y = y0; y <= y1; y += 1) {
      for (let m = 0; m < 12; m += step) out.push([Date.UTC(y, m, 1), `${y}-${String(m + 1).padStart(2, '0')}`]);
    }
  }
  return out.filter(([t]) => t >= t0 && t <= t1);
}

export function chart(data, width, onPick) {
  const periods = data.periods.map((p) => ({ ...p, range: dateRange(p.period) })).filter((p) => p.range);
  if (!periods.length) return el('p', { class: 'empty' }, 'No dated events in this selection.');
  const W = Math.max(360, width); const left = 44; const right = 44;
  const H1 = 190; const H2 = 120; const gap = 26; const H = H1 + gap + H2 + 22;
  const t0 = periods[0].range.start.getTime();
  const t1 = periods[periods.length - 1].range.end.getTime();
  const x = (t) => left + ((t - t0) / Math.max(1, t1 - t0)) * (W - left - right);
  const maxN = Math.max(...periods.map((p) => p.events));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'trends-chart', role: 'img',
    'aria-label': `events per ${data.by}` });
  // panel 1: volume, stacked by quad class
  const y1 = (n) => H1 - (n / maxN) * (H1 - 10);
  root.append(svg('line', { x1: left, x2: W - right, y1: H1, y2: H1, stroke: '#999' }));
  for (const n of [0, Math.round(maxN / 2), maxN]) {
    root.append(svg('text', { x: left - 6, y: y1(n) + 4, 'font-size': 10, fill: '#666', 'text-anchor': 'end' }, n));
  }
  root.append(svg('text', { x: left, y: 10, 'font-size': 11, fill: '#333' }, `events per ${data.by}`));
  for (const p of periods) {
    const xa = x(p.range.start.getTime()); const xb = x(p.range.end.getTime());
    const bw = Math.max(1.5, xb - xa - 1);
    let top = H1;
    for (const q of QUADS) {
      const n = p.by_quad[q]?.events || 0;
      if (!n) continue;
      const h = (n / maxN) * (H1 - 10);
      top -= h;
      root.append(svg('rect', { x: xa, y: top, width: bw, height: h, fill: QUAD_COLOURS[q] }));
    }
    const other = p.events - QUADS.reduce((s, q) => s + (p.by_quad[q]?.events || 0), 0);
    if (other > 0) {
      const h = (other / maxN) * (H1 - 10);
      top -= h;
      root.append(svg('rect', { x: xa, y: top, width: bw, height: h, fill: '#9e9e9e' }));
    }
    const hit = svg('rect', { x: xa, y: 0, width: Math.max(bw, 4), height: H1 + gap + H2, fill: 'transparent',
      class: 'period', 'data-period': p.period, style: 'cursor:pointer' },
    svg('title', {}, `${p.period}: ${plural(p.events, 'event')}; intensity ${fmt(p.intensity)}, tone ${fmt(p.tone)}`));
    hit.addEventListener('click', () => onPick(p));
    root.append(hit);
  }
  // panel 2: mean intensity (left axis, -10..+10) and mean tone (right axis, symmetric around 0)
  const top2 = H1 + gap; const mid2 = top2 + H2 / 2;
  const maxTone = Math.max(0.5, ...periods.map((p) => Math.abs(p.tone || 0)));
  const yI = (v) => mid2 - (v / 10) * (H2 / 2 - 4);
  const yT = (v) => mid2 - (v / maxTone) * (H2 / 2 - 4);
  root.append(svg('line', { x1: left, x2: W - right, y1: mid2, y2: mid2, stroke: '#bbb', 'stroke-dasharray': '3 3' }));
  root.append(svg('text', { x: left, y: top2 - 6, 'font-size': 11, fill: '#333' }, 'mean intensity (−10..+10, solid) and tone (dotted)'));
  for (const [v, label] of [[10, '+10'], [0, '0'], [-10, '−10']]) {
    root.append(svg('text', { x: left - 6, y: yI(v) + 4, 'font-size': 10, fill: '#666', 'text-anchor': 'end' }, label));
  }
  for (const v of [maxTone, -maxTone]) {
    root.append(svg('text', { x: W - right + 6, y: yT(v) + 4, 'font-size': 10, fill: '#666' }, v > 0 ? `+${fmt(v, 1)}` : fmt(v, 1)));
  }
  const line = (key, y, attrs) => {
    const pts = periods.filter((p) => p[key] !== null && p[key] !== undefined)
      .map((p) => `${((x(p.range.start.getTime()) + x(p.range.end.getTime())) / 2).toFixed(1)},${y(p[key]).toFixed(1)}`);
    if (pts.length) root.append(svg('polyline', { points: pts.join(' '), fill: 'none', ...attrs }));
    if (pts.length === 1) {
      const [cx, cy] = pts[0].split(',');
      root.append(svg('circle', { cx, cy, r: 3, fill: attrs.stroke }));
    }
  };
  line('intensity', yI, { stroke: '#34414f', 'stroke-width': 1.5, class: 'intensity-line' });
  line('tone', yT, { stroke: '#7b5ea7', 'stroke-width': 1.5, 'stroke-dasharray': '2 3', class: 'tone-line' });
  // time axis
  for (const [t, label] of ticks(t0, t1)) {
    root.append(svg('line', { x1: x(t), x2: x(t), y1: H1, y2: H1 + 4, stroke: '#999' }));
    root.append(svg('text', { x: x(t), y: H - 4, 'font-size': 10, fill: '#666', 'text-anchor': 'middle' }, label));
  }
  return root;
}

function periodTable(data, onPick) {
  const head = el('tr', {}, el('th', {}, data.by), el('th', { class: 'num' }, 'events'),
    ...QUADS.map((q) => el('th', { class: 'num', title: q }, el('i', { class: 'swatch', style: `background:${QUAD_COLOURS[q]}` }),
      q.replace('cooperation', 'coop.').replace('conflict', 'confl.'))),
    el('th', { class: 'num' }, 'intensity'), el('th', { class: 'num' }, 'tone'),
    el('th', { class: 'num', title: 'The dead counted in the events of the period (each count to the nearest attack of its sentence)' }, 'fatalities'));
  const body = data.periods.map((p) => el('tr', { 'data-period': p.period, class: 'clickable', onclick: () => onPick(p) },
    el('td', { class: 'nowrap' }, p.period), el('td', { class: 'num' }, p.events),
    ...QUADS.map((q) => el('td', { class: 'num' }, p.by_quad[q]?.events || '')),
    el('td', { class: 'num' }, fmt(p.intensity)), el('td', { class: 'num' }, fmt(p.tone)),
    el('td', { class: 'num' }, p.fatalities ? Number(p.fatalities).toLocaleString('en') : '')));
  return el('table', { class: 'grid trends-table' }, el('thead', {}, head), el('tbody', {}, body));
}

export async function render(root) {
  const by = el('select', { id: 'trends-by', 'aria-label': 'period' },
    ...['year', 'month', 'day'].map((b) => el('option', { value: b, selected: b === (state.by || 'year') }, `per ${b}`)));
  const merge = el('input', { type: 'checkbox', id: 'trends-merged', checked: state.merged !== false });
  const info = el('span', { class: 'muted', id: 'trends-info' });
  const json = el('span');
  const plot = el('div', { id: 'trends-chart', class: 'trends' });
  const table = el('div', { id: 'trends-periods' });
  fill(root, el('div', { class: 'toolbar' }, by,
    el('label', { title: 'An event told by several articles counts once (its first report)' }, merge, ' merge reports of the same event'),
    json, info,
    el('span', { class: 'legend' }, ...QUADS.map((q) => [el('i', { style: `background:${QUAD_COLOURS[q]}` }), q]))),
  el('div', { class: 'scroll' }, plot, table));

  const pick = (p) => {
    show(el('div', { class: 'record' }, el('h3', {}, `${p.period}: ${plural(p.events, 'event')}`),
      el('dl', { class: 'fields' },
        ...QUADS.flatMap((q) => [el('dt', {}, q), el('dd', {}, `${p.by_quad[q]?.events || 0} (intensity ${fmt(p.by_quad[q]?.intensity)}, tone ${fmt(p.by_quad[q]?.tone)})`)]),
        el('dt', {}, 'intensity'), el('dd', {}, fmt(p.intensity)), el('dt', {}, 'tone'), el('dd', {}, fmt(p.tone)),
        el('dt', {}, 'fatalities'), el('dd', {}, p.fatalities ? Number(p.fatalities).toLocaleString('en') : '0')),
      el('button', { type: 'button', onclick: () => state.set({ view: 'timeline', since: p.period, until: p.period }) },
        `these events on the timeline`)));
  };
  const load = async () => {
    const params = { ...state.params(), by: by.value, merged: merge.checked };
    const data = await api('api/trends', params);
    fill(json, jsonLink('api/trends', params));
    const dated = data.periods.reduce((s, p) => s + p.events, 0);
    fill(info, `${plural(dated, 'dated event')} in ${plural(data.periods.length, data.by)}`,
      data.coarser ? ` · ${plural(data.coarser, 'event')} dated only to a coarser period (not drawn)` : '',
      undatedNote(data.undated, 'event', 'no date'));
    fill(plot, chart(data, Math.min(1400, (root.clientWidth || 800) - 30), pick));
    fill(table, periodTable(data, pick));
  };
  by.addEventListener('change', () => { state.by = by.value; load(); });
  merge.addEventListener('change', () => { state.merged = merge.checked; load(); });
  await load();
  return () => {};
}
