// Timeline of events (vis-timeline): each at its own date (a historical event at the date it happened,
// not the article's), a point for a day, a bar for a month or a year; one row per quad class.
import { DataSet, Timeline } from 'vis-timeline/standalone';
import 'vis-timeline/styles/vis-timeline-graph2d.min.css';
import { show, showEvent } from '../inspector.js';
import { QUADS, QUAD_COLOURS, api, dateRange, el, fill, jsonLink, plural, state } from '../util.js';

export async function render(root) {
  const info = el('span', { class: 'muted', id: 'timeline-info' });
  const box = el('div', { id: 'timeline', class: 'canvas' });
  const merge = el('input', { type: 'checkbox', id: 'timeline-merged', checked: state.merged !== false });
  merge.addEventListener('change', () => state.set({ merged: merge.checked }));
  fill(root, el('div', { class: 'toolbar' },
    el('label', { title: 'An event told by several articles is one item (its first report)' }, merge, ' merge reports of the same event'), info,
    el('span', { class: 'legend' }, ...QUADS.map((q) => [el('i', { style: `background:${QUAD_COLOURS[q]}` }), q]),
      el('i', { class: 'hist' }), 'historical (told in a later article)')), box);

  const params = { ...state.params(), dated: true, merged: merge.checked, limit: 5000 };
  const data = await api('api/events', { ...params, brief: true });
  const fit = el('button', { type: 'button', title: 'Show every event' }, 'fit');
  info.before(fit, jsonLink('api/events', params));
  const byId = new Map(data.items.map((e) => [e.id, e]));
  const items = [];
  for (const e of data.items) {
    const range = dateRange(e.date);
    if (!range) continue;
    // who did what to whom, with "?" for a side the sentence does not name: "Russia → AID → Taliban"
    const source = e.source_name || e.source?.name || e.source_text || '?';
    const target = e.target_name || e.target?.name || e.target_text || '?';
    const copies = merge.checked && e.cluster_articles > 1 ? ` ×${e.cluster_articles}` : '';
    const dead = e.fatalities ? ` ✝${Number(e.fatalities).toLocaleString('en')}` : '';
    const label = `${source} → ${e.type} → ${target}${copies}${dead}`;
    items.push({
      id: e.id, group: QUADS.includes(e.quad) ? e.quad : 'other',
      start: range.start, end: range.precision === 'day' ? undefined : range.end,
      type: range.precision === 'day' ? 'point' : 'range',
      // elements, not strings: vis-timeline reads a string as HTML, and the names come from articles
      content: el('span', {}, label.length > 60 ? `${label.slice(0, 58)}…` : label),
      title: el('span', {}, `${e.date} ${label}${e.negated ? ' (negated)' : ''}`),
      className: ['q' + QUADS.indexOf(e.quad), e.historical ? 'historical' : '', e.negated ? 'negated' : ''].join(' '),
    });
  }
  const cut = data.total > data.items.length ? ` (the first ${data.items.length.toLocaleString('en')} of ${data.total.toLocaleString('en')}: narrow the dates or pick an actor)` : '';
  info.textContent = `${plural(items.length, merge.checked ? 'dated event (reports merged)' : 'dated event report', merge.checked ? 'dated events (reports merged)' : 'dated event reports')}${cut}`;
  if (!items.length) {
    box.append(el('p', { class: 'empty' }, 'No dated events in this selection.'));
    return () => {};
  }
  const groups = [...QUADS, 'other'].filter((g) => items.some((i) => i.group === g))
    .map((g) => ({ id: g, content: g, style: `border-left: 6px solid ${QUAD_COLOURS[g] || '#999'}` }));
  const timeline = new Timeline(box, new DataSet(items), new DataSet(groups), {
    stack: true, height: `${Math.max(420, box.clientHeight)}px`, verticalScroll: true, zoomKey: 'ctrlKey',
    zoomMin: 1000 * 60 * 60 * 24 * 7, orientation: 'top', tooltip: { followMouse: true }, margin: { item: 3 },
    // Zoomed out, nearby events of a row fold into a numbered cluster; a double click opens it.
    cluster: { maxItems: 3, showStipes: true, fitOnDoubleClick: true, clusterCriteria: (a, b) => a.group === b.group },
  });
  // Fit every event with room on the right for the labels of the last ones (a point's label runs to the
  // right of its date; fit() alone puts the last date at the edge and cuts its label).
  const starts = items.map((i) => i.start.getTime());
  const ends = items.map((i) => (i.end || i.start).getTime());
  const first = Math.min(...starts); const last = Math.max(...ends);
  const span = Math.max(last - first, 1000 * 60 * 60 * 24 * 30);
  // the room the last labels need: the longest label among the latest items, at about 6.5 px a character,
  // as a share of the drawing's width; the window then ends that far after the last date (at most 60 %)
  const late = items.filter((i) => i.start.getTime() >= last - span * 0.15);
  const labelPx = Math.max(0, ...late.map((i) => i.content.textContent.length * 6.5 + 16));
  const share = Math.min(0.6, labelPx / Math.max(300, box.clientWidth - 170));
  const right = Math.min(0.6, (share * 1.02) / Math.max(0.4, 1 - share));
  const fitAll = () => timeline.setWindow(new Date(first - span * 0.02), new Date(last + span * right), { animation: false });
  fitAll();
  fit.addEventListener('click', fitAll);
  timeline.on('select', ({ items: selected }) => {
    if (!selected.length) return;
    const e = byId.get(selected[0]);
    if (e) api(`api/events/${encodeURIComponent(e.id)}`).then(showEvent, (err) => show(el('p', { class: 'error' }, err.message)));
    else show(el('p', { class: 'muted' }, 'A cluster of nearby events: double-click it, or zoom in (Ctrl + wheel), to see them one by one.'));
  });
  window.__tacitus = { ...(window.__tacitus || {}), timeline, timelineItems: items.length };
  return () => timeline.destroy();
}
