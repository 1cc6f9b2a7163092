// The explorer shell: tabs, the shared filter bar (actor, date range, quad classes), the search box and the
// router (state lives in the URL hash, so every view can be bookmarked and the back button works).
import './style.css';
import { showActor } from './inspector.js';
import { QUADS, QUAD_COLOURS, actorLink, api, articleLink, el, state, fill } from './util.js';
// Each view is its own chunk, loaded when first shown (cytoscape, vis-timeline and leaflet are large).
const VIEWS = {
  network: () => import('./views/network.js'),
  timeline: () => import('./views/timeline.js'),
  map: () => import('./views/map.js'),
  quotes: () => import('./views/quotes.js'),
  disputes: () => import('./views/disputes.js'),
  articles: () => import('./views/articles.js'),
  trends: () => import('./views/trends.js'),
  tables: () => import('./views/tables.js'),
  api: () => import('./views/apidocs.js'),
};
const $ = (id) => document.getElementById(id);
let current = { name: null, key: null, handle: null };
let generation = 0;

function filterKey() {
  return JSON.stringify([state.view, state.actor, state.since, state.until, state.quads, state.type, state.merged]);
}

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : 'muted';
}

async function actorName(id) {
  if (!id) return null;
  if (state.actorName && state.actorNameFor === id) return state.actorName;
  try {
    const a = await api(`api/actors/${encodeURIComponent(id)}`);
    state.actorName = a.name;
  } catch {
    state.actorName = id;
  }
  state.actorNameFor = id;
  return state.actorName;
}

async function renderFilters() {
  $('since').value = state.since;
  $('until').value = state.until;
  document.querySelectorAll('#quads input').forEach((box) => { box.checked = state.quads.includes(box.value); });
  $('event-type').value = state.type;
  // the quad classes and the event type select events: in the quote, dispute and article views they do nothing;
  // the Tables view has filters of its own, for any column of any table
  const own = ['tables', 'api'].includes(state.view);
  const eventsOnly = own || ['quotes', 'disputes', 'articles'].includes(state.view);
  document.querySelectorAll('#quads input, #event-type').forEach((c) => { c.disabled = eventsOnly; });
  $('quads').title = eventsOnly ? 'The quad classes and the event type apply to the network, timeline, map and trends' : '';
  $('event-type').title = $('quads').title;
  for (const id of ['since', 'until']) {
    $(id).disabled = own;
    $(id).title = own ? 'The Tables view filters with its own column filters' : '';
  }
  document.querySelectorAll('#tabs a').forEach((a) => a.classList.toggle('active', a.dataset.view === state.view));
  const chip = $('actor-filter');
  if (state.actor) {
    const name = await actorName(state.actor);
    fill(chip, 'actor: ', el('strong', {}, name),
      el('button', { type: 'button', title: 'Remove the actor filter', 'aria-label': 'Remove the actor filter', onclick: () => state.set({ actor: null }) }, '×'));
    chip.hidden = false;
  } else {
    chip.hidden = true;
  }
}

async function route() {
  if (!VIEWS[state.view]) state.view = 'network';
  await renderFilters();
  const key = filterKey();
  // Within the article view, opening another article keeps the list where it is.
  if (current.name === 'articles' && state.view === 'articles' && current.key === key && current.handle?.open) {
    if (state.article) await current.handle.open(state.article, state.focus);
    return;
  }
  if (current.handle) {
    const cleanup = typeof current.handle === 'function' ? current.handle : current.handle.cleanup;
    try { cleanup?.(); } catch { /* a view already torn down */ }
  }
  const mine = ++generation;
  const root = el('div', { class: `view view-${state.view}` });
  fill($('view'), root);
  document.body.dataset.view = state.view;
  document.body.dataset.ready = 'false';
  setStatus('loading…');
  try {
    const view = await VIEWS[state.view]();
    if (mine !== generation) return;
    const handle = await view.render(root);
    if (mine !== generation) return;
    current = { name: state.view, key, handle };
    setStatus('');
  } catch (err) {
    if (mine !== generation) return;
    current = { name: state.view, key, handle: null };
    setStatus(err.message, true);
    root.append(el('p', { class: 'error' }, `Cannot show this view: ${err.message}`));
  }
  document.body.dataset.ready = 'true';
}

function setupTabs() {
  // Tabs keep the filters: they change the view only.
  document.querySelectorAll('#tabs a').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    state.set({ view: a.dataset.view });
  }));
}

function setupFilters() {
  fill($('quads'), ...QUADS.map((q) => el('label', { class: 'quad', title: `Only ${q} (none ticked: all)` },
    el('input', { type: 'checkbox', value: q }), el('i', { style: `background:${QUAD_COLOURS[q]}` }), q)));
  $('quads').addEventListener('change', () => {
    state.set({ quads: [...document.querySelectorAll('#quads input:checked')].map((b) => b.value) });
  });
  for (const id of ['since', 'until']) {
    $(id).addEventListener('change', (e) => {
      const value = e.target.value.trim();
      if (value && !/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(value)) {
        setStatus(`${id}: write a date as YYYY, YYYY-MM or YYYY-MM-DD`, true);
        return;
      }
      state.set({ [id]: value });
    });
  }
  $('event-type').addEventListener('change', (e) => state.set({ type: e.target.value }));
  $('clear-filters').addEventListener('click', () => state.set({ actor: null, since: '', until: '', quads: [], type: '' }));
}

function setupSearch() {
  const input = $('search');
  const box = $('search-results');
  let timer = null;
  let asked = 0;
  const hide = () => { box.hidden = true; };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { hide(); return; }
    timer = setTimeout(async () => {
      const mine = ++asked;
      try {
        const found = await api('api/search', { q, limit: 8 });
        if (mine !== asked) return;
        const pick = () => { hide(); input.value = ''; };
        fill(box,
          el('div', { class: 'muted small' }, `search: ${found.engine === 'fts' ? 'full-text (BM25)' : 'substring'}`),
          el('h4', {}, 'Actors'),
          found.actors.length ? el('ul', {}, found.actors.map((a) => el('li', { onclick: pick }, actorLink(a.id, a.name, a.code), ` ${a.events} events`)))
            : el('p', { class: 'muted' }, 'none'),
          el('h4', {}, 'Articles'),
          found.articles.length ? el('ul', {}, found.articles.map((a) => el('li', { onclick: pick }, articleLink(a.id, a.title || a.id),
            el('div', { class: 'muted small' }, a.snippet))))
            : el('p', { class: 'muted' }, 'none'));
        box.hidden = false;
      } catch (err) {
        fill(box, el('p', { class: 'error' }, err.message));
        box.hidden = false;
      }
    }, 200);
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Escape') hide(); });
  document.addEventListener('click', (e) => { if (!e.target.closest('.search')) hide(); });
}

async function start() {
  setupTabs();
  setupFilters();
  setupSearch();
  state.listeners.push(route);
  window.addEventListener('hashchange', () => { state.fromHash(window.location.hash); route(); });
  state.fromHash(window.location.hash);
  try {
    const summary = await api('api/summary');
    state.summary = summary;
    const c = summary.counts;
    const types = $('event-type');
    summary.event_types.forEach((t) => types.append(el('option', { value: t }, t)));
    types.value = state.type;
    $('dbname').textContent = `${summary.database} · ${c.articles} articles · ${c.actors} actors · ${c.events} events · ${c.quotes} quotes · ${c.disputes} disputes`;
  } catch (err) {
    setStatus(`Cannot reach the API: ${err.message}`, true);
  }
  await route();
  // A click on an actor anywhere also shows its profile.
  document.addEventListener('click', (e) => {
    const link = e.target.closest('a.actor[data-actor]');
    if (link && !link.closest('#inspector .actor-profile h2')) showActor(link.dataset.actor);
  });
}

start();
