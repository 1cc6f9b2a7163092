// Actor network: cytoscape, nodes sized by events in the selection, edges coloured cooperation -> conflict.
import cytoscape from 'cytoscape';
import { dyadChart, showActor, showEvents } from '../inspector.js';
import { api, balanceColour, el, fill, jsonLink, plural, state } from '../util.js';

const yearOf = (date) => (date ? Number(String(date).slice(0, 4).padEnd(4, '0')) : null);

// Two sliders over the years that have events, bound to the shared date range (so every view follows).
function yearSlider() {
  const first = yearOf(state.summary?.first_event);
  const last = yearOf(state.summary?.last_event);
  if (!first || !last || first >= last) return null;
  const from = el('input', { type: 'range', min: first, max: last, value: yearOf(state.since) ?? first, id: 'year-from', 'aria-label': 'from year' });
  const to = el('input', { type: 'range', min: first, max: last, value: yearOf(state.until) ?? last, id: 'year-to', 'aria-label': 'to year' });
  const shown = el('span', { class: 'years' });
  const label = () => { shown.textContent = `${Math.min(from.value, to.value)}–${Math.max(from.value, to.value)}`; };
  const apply = () => {
    const [a, b] = [Math.min(from.value, to.value), Math.max(from.value, to.value)];
    state.set({ since: a > first ? String(a) : '', until: b < last ? String(b) : '' });
  };
  [from, to].forEach((input) => { input.addEventListener('input', label); input.addEventListener('change', apply); });
  label();
  return el('span', { class: 'year-slider', title: 'Drag to narrow the years (every view follows)' }, 'years ', from, to, shown);
}

export async function render(root) {
  const minEvents = el('input', { type: 'number', min: 1, max: 100, value: 1, id: 'min-events', size: 3 });
  const info = el('span', { class: 'muted', id: 'network-info' });
  const graph = el('div', { id: 'cy', class: 'canvas' });
  const fit = el('button', { type: 'button', title: 'Show the whole network' }, 'fit');
  const json = el('span');
  fill(root,
    el('div', { class: 'toolbar' }, el('label', {}, 'edges with at least ', minEvents, ' events'), yearSlider(), fit, json, info,
      el('span', { class: 'legend' }, el('i', { style: `background:${balanceColour(1, 0)}` }), 'cooperation',
        el('i', { style: `background:${balanceColour(1, 1)}` }), 'mixed', el('i', { style: `background:${balanceColour(0, 1)}` }), 'conflict')),
    graph);

  let cy = null;
  const draw = async () => {
    const params = { ...state.params(), min_events: minEvents.value || 1 };
    const data = await api('api/network', params);
    fill(json, jsonLink('api/network', params));
    const most = Math.max(1, ...data.nodes.map((n) => n.events));
    const mostEdge = Math.max(1, ...data.edges.map((e) => e.events));
    info.textContent = `${plural(data.nodes.length, 'actor')}, ${plural(data.edges.length, 'link')}${data.truncated ? ' (the strongest only)' : ''}`;
    if (cy) cy.destroy();
    fill(graph);
    if (!data.nodes.length) {
      graph.append(el('p', { class: 'empty' }, 'No actor-to-actor events in this selection.'));
      cy = null;
      window.__tacitus = { ...(window.__tacitus || {}), cy: null };
      return;
    }
    cy = cytoscape({
      container: graph,
      elements: [
        ...data.nodes.map((n) => ({
          data: {
            id: n.id, label: n.name, code: n.code, events: n.events,
            size: 18 + 52 * Math.sqrt(n.events / most), colour: balanceColour(n.cooperation, n.conflict),
          },
          classes: n.id === state.actor ? 'focus' : '',
        })),
        ...data.edges.map((e) => ({
          data: {
            id: e.id, source: e.source, target: e.target, events: e.events,
            width: 1 + 7 * Math.sqrt(e.events / mostEdge), colour: balanceColour(e.cooperation, e.conflict),
            label: `${e.events}`,
          },
        })),
      ],
      style: [
        { selector: 'node', style: {
          width: 'data(size)', height: 'data(size)', 'background-color': 'data(colour)', label: 'data(label)',
          'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#222', 'text-outline-color': '#fff',
          'text-outline-width': 2, 'border-width': 1, 'border-color': '#fff' } },
        { selector: 'node.focus', style: { 'border-width': 4, 'border-color': '#1565c0' } },
        { selector: 'edge', style: {
          width: 'data(width)', 'line-color': 'data(colour)', 'target-arrow-color': 'data(colour)',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', opacity: 0.75, 'arrow-scale': 0.8 } },
        { selector: 'edge:selected', style: { opacity: 1, 'line-style': 'dashed' } },
      ],
      layout: { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90, padding: 20 },
    });
    // labels stay readable when the graph is zoomed out to fit: at least 11 px on screen (up to 3x their size)
    const readable = () => cy.style().selector('node').style('font-size', Math.min(33, 11 / Math.min(1, cy.zoom()))).update();
    cy.on('zoom', readable);
    readable();
    cy.on('tap', 'node', (evt) => {
      const id = evt.target.id();
      state.set({ actor: id, actorName: evt.target.data('label') });
      showActor(id);
    });
    cy.on('tap', 'edge', async (evt) => {
      const edge = evt.target.data();
      const [found, dyad] = await Promise.all([
        api('api/events', { ...state.params(), actor: edge.source, limit: 5000 }),
        api('api/dyad', { a: edge.source, b: edge.target, by: 'year', since: state.since, until: state.until }),
      ]);
      const between = found.items.filter((e) => e.source_actor_id === edge.source && e.target_actor_id === edge.target);
      showEvents(`${cy.getElementById(edge.source).data('label')} → ${cy.getElementById(edge.target).data('label')}`, between,
        dyadChart(dyad.periods));
    });
    root.cy = cy;
    window.__tacitus = { ...(window.__tacitus || {}), cy };
  };
  minEvents.addEventListener('change', draw);
  fit.addEventListener('click', () => { if (cy) cy.fit(undefined, 20); });
  await draw();
  if (state.actor) showActor(state.actor);
  return () => { if (cy) cy.destroy(); };
}
