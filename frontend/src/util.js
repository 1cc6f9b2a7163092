// Small shared helpers: the API client, DOM building, colours and the shared filter state.

export const QUADS = ['verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
export const QUAD_COLOURS = {
  'verbal cooperation': '#6fbf73',
  'material cooperation': '#1b7f3b',
  'verbal conflict': '#f0a43a',
  'material conflict': '#c62828',
};

export class ApiError extends Error {}

export async function api(path, params = {}) {
  const url = new URL(path, window.location.href);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
    else url.searchParams.set(key, value);
  }
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.error || `${response.status} ${response.statusText}`);
  return body;
}

// el('div', {class: 'x', onclick: f}, 'text', child, ...): children are strings (text, never HTML) or nodes.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Cooperation (+1) to conflict (-1) as a colour: green, grey, red.
export function balanceColour(cooperation, conflict) {
  const total = cooperation + conflict;
  if (!total) return '#9e9e9e';
  const t = (cooperation - conflict) / total; // -1..1
  const mix = (a, b, f) => Math.round(a + (b - a) * f);
  const grey = [158, 158, 158];
  const end = t >= 0 ? [27, 127, 59] : [198, 40, 40];
  const f = Math.abs(t);
  return `rgb(${mix(grey[0], end[0], f)}, ${mix(grey[1], end[1], f)}, ${mix(grey[2], end[2], f)})`;
}

// A partial ISO date ("1979", "1979-12", "1979-12-27", a decade "198", a century "19") as [start, end) Dates.
export function dateRange(value) {
  if (!value) return null;
  const utc = (y, m = 0, d = 1) => { const t = new Date(Date.UTC(2000, m, d)); t.setUTCFullYear(y); return t; };
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
  if (!m) {
    const short = /^(\d{2,3})$/.exec(value);
    if (!short) return null;
    const span = short[1].length === 3 ? 10 : 100;
    const y = Number(short[1]) * span;
    return { start: utc(y), end: utc(y + span), precision: span === 10 ? 'decade' : 'century' };
  }
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) - 1 : null;
  const d = m[3] ? Number(m[3]) : null;
  const start = utc(y, mo ?? 0, d ?? 1);
  const end = d !== null ? utc(y, mo, d + 1) : mo !== null ? utc(y, mo + 1, 1) : utc(y + 1, 0, 1);
  return { start, end, precision: d !== null ? 'day' : mo !== null ? 'month' : 'year' };
}

// node.replaceChildren without the nulls (the DOM would write them as the text "null").
export function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function plural(n, word, many = `${word}s`) {
  return `${n.toLocaleString('en')} ${n === 1 ? word : many}`;
}

// The shared filter state, mirrored in the URL hash: #view?actor=ID&since=..&until=..&quad=..
export const state = {
  view: 'network',
  actor: null,
  actorName: null,
  since: '',
  until: '',
  quads: [],
  type: '',
  merged: true,
  article: null,
  focus: null,
  // the Tables view: which table, its filters ("column:op:value"), sort, facets and page
  table: null,
  where: [],
  sort: null,
  desc: false,
  facets: [],
  offset: 0,
  listeners: [],
  params() {
    return { actor: this.actor, since: this.since, until: this.until, quad: this.quads, type: this.type };
  },
  toHash() {
    const p = new URLSearchParams();
    if (this.actor) p.set('actor', this.actor);
    if (this.since) p.set('since', this.since);
    if (this.until) p.set('until', this.until);
    this.quads.forEach((q) => p.append('quad', q));
    if (this.type) p.set('type', this.type);
    if (this.view === 'timeline' && this.merged === false) p.set('merged', 'no');
    if (this.view === 'articles' && this.article) p.set('article', this.article);
    if (this.view === 'articles' && this.focus) p.set('focus', this.focus);
    if (this.view === 'tables') {
      if (this.table) p.set('table', this.table);
      this.where.forEach((w) => p.append('where', w));
      if (this.sort) p.set('sort', this.sort);
      if (this.sort && this.desc) p.set('desc', '1');
      this.facets.forEach((f) => p.append('facet', f));
      if (this.offset) p.set('offset', String(this.offset));
    }
    const query = p.toString();
    return `#${this.view}${query ? `?${query}` : ''}`;
  },
  fromHash(hash) {
    const [view, query] = hash.replace(/^#/, '').split('?');
    const p = new URLSearchParams(query || '');
    this.view = view || 'network';
    this.actor = p.get('actor');
    this.since = p.get('since') || '';
    this.until = p.get('until') || '';
    this.quads = p.getAll('quad').filter((q) => QUADS.includes(q));
    this.type = /^[A-Za-z_]{1,40}$/.test(p.get('type') || '') ? p.get('type') : '';
    this.merged = p.get('merged') !== 'no';
    this.article = p.get('article');
    this.focus = p.get('focus');
    const column = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
    this.table = column.test(p.get('table') || '') ? p.get('table') : null;
    this.where = p.getAll('where').filter((w) => column.test(w.split(':')[0]));
    this.sort = column.test(p.get('sort') || '') ? p.get('sort') : null;
    this.desc = p.get('desc') === '1';
    this.facets = [...new Set(p.getAll('facet').filter((f) => column.test(f)))];
    this.offset = Math.max(0, Number.parseInt(p.get('offset') || '0', 10) || 0);
  },
  set(changes) {
    Object.assign(this, changes);
    const hash = this.toHash();
    if (window.location.hash !== hash) window.location.hash = hash;
    else this.listeners.forEach((f) => f());
  },
};

// A link that filters every view to an actor.
export function actorLink(id, name, code) {
  if (!id) return el('span', { class: 'actor unresolved' }, name || '—');
  return el('a', {
    href: '#', class: 'actor', 'data-actor': id, title: `Filter everything to ${name || id}`,
    onclick: (e) => { e.preventDefault(); state.set({ actor: id, actorName: name || id }); },
  }, name || id, code ? el('span', { class: 'code' }, code) : null);
}

export function articleLink(id, title, focus = null) {
  return el('a', {
    href: '#', class: 'article-link',
    onclick: (e) => { e.preventDefault(); state.set({ view: 'articles', article: id, focus }); },
  }, title || id);
}

// A link to the JSON behind a view, with the filters it was drawn with (for scripts and spreadsheets).
export function jsonLink(path, params) {
  const url = new URL(path, window.location.href);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
    else url.searchParams.set(key, value);
  }
  return el('a', { class: 'json-link', href: url.pathname + url.search, target: '_blank', rel: 'noopener', title: 'The data of this view as JSON' }, 'JSON');
}

export function pager(result, onPage) {
  const { total, limit, offset } = result;
  const last = Math.min(total, offset + limit);
  return el('div', { class: 'pager' },
    el('button', { type: 'button', disabled: offset <= 0, onclick: () => onPage(Math.max(0, offset - limit)) }, '‹ previous'),
    el('span', {}, total ? `${offset + 1}–${last} of ${total.toLocaleString('en')}` : 'nothing found'),
    el('button', { type: 'button', disabled: last >= total, onclick: () => onPage(offset + limit) }, 'next ›'));
}

// "3 quotes left out: their article has no publication date" beside a dated selection (nothing when none).
export function undatedNote(count, noun, why) {
  if (!count) return null;
  return el('span', { class: 'undated-note muted small', title: 'The date range leaves out items without a date' },
    ` · ${plural(count, noun)} left out: ${why}`);
}
