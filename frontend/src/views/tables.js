// Tables: any table of the store, as datasette shows one: filters (column, operator, value), a sort by any
// column, facets (the ten commonest values of a column under the same filters; a click filters on one),
// paging, the JSON of the page and the CSV of the whole view (values whole). The view lives in the URL.
import { show } from '../inspector.js';
import { actorLink, api, articleLink, el, fill, jsonLink, pager, plural, state } from '../util.js';

const OPS = [['eq', '='], ['ne', '≠'], ['contains', 'contains'], ['startswith', 'starts with'], ['lt', '<'],
  ['le', '≤'], ['gt', '>'], ['ge', '≥'], ['null', 'is empty'], ['notnull', 'is not empty']];
const OP_LABEL = Object.fromEntries(OPS);

function text(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function cell(column, value) {
  if (value === null || value === undefined) return el('td', { class: 'null' }, '');
  if (column === 'article_id' || (column === 'id' && state.table === 'articles')) return el('td', {}, articleLink(value, value));
  if (/(^|_)actor_id$/.test(column) || (column === 'id' && state.table === 'actors')) return el('td', {}, actorLink(value, value));
  const shown = text(value);
  return el('td', { class: typeof value === 'number' ? 'num' : '', title: shown.length > 80 ? shown : null },
    shown.length > 120 ? `${shown.slice(0, 118)}…` : shown);
}

function tableUrl(name) {
  return `api/tables/${encodeURIComponent(name)}`;
}

export async function render(root) {
  const tables = await api('api/tables');
  if (!tables.length) {
    fill(root, el('p', { class: 'empty' }, 'This store has no tables.'));
    return () => {};
  }
  const name = tables.some((t) => t.name === state.table) ? state.table : tables[0].name;
  const meta = tables.find((t) => t.name === name);
  const columns = meta.columns.map((c) => c.name);
  const go = (changes) => state.set({ table: name, offset: 0, ...changes });

  const list = el('ul', { class: 'table-list' }, tables.map((t) => el('li', { class: t.name === name ? 'active' : '' },
    el('a', { href: '#', 'data-table': t.name, onclick: (e) => { e.preventDefault(); state.set({ table: t.name, where: [], sort: null, desc: false, facets: [], offset: 0 }); } },
      t.name), el('span', { class: 'muted small' }, ` ${t.rows.toLocaleString('en')}`))));

  const colSel = el('select', { id: 'table-column', 'aria-label': 'column' }, columns.map((c) => el('option', { value: c }, c)));
  const opSel = el('select', { id: 'table-op', 'aria-label': 'operator' }, OPS.map(([v, label]) => el('option', { value: v }, label)));
  const value = el('input', { id: 'table-value', placeholder: 'value', size: 16, 'aria-label': 'value' });
  opSel.addEventListener('change', () => { value.disabled = ['null', 'notnull'].includes(opSel.value); });
  const add = el('button', { type: 'button', id: 'table-add-filter' }, 'add filter');
  const addFilter = () => {
    const op = opSel.value;
    const f = ['null', 'notnull'].includes(op) ? `${colSel.value}:${op}` : `${colSel.value}:${op}:${value.value}`;
    go({ where: [...state.where.filter((w) => w !== f), f] });
  };
  add.addEventListener('click', addFilter);
  value.addEventListener('keydown', (e) => { if (e.key === 'Enter') addFilter(); });
  const facetSel = el('select', { id: 'table-facet', 'aria-label': 'facet by column' }, el('option', { value: '' }, 'facet by…'),
    columns.filter((c) => !state.facets.includes(c)).map((c) => el('option', { value: c }, c)));
  facetSel.addEventListener('change', () => { if (facetSel.value) go({ facets: [...state.facets, facetSel.value] }); });

  const chips = el('div', { class: 'chips' }, state.where.map((w) => {
    const [col, op, ...rest] = w.split(':');
    return el('span', { class: 'chip filter-chip' }, `${col} ${OP_LABEL[op] || op}${rest.length ? ` ${rest.join(':')}` : ''}`,
      el('button', { type: 'button', title: 'Remove this filter', 'aria-label': `Remove the filter ${w}`, onclick: () => go({ where: state.where.filter((x) => x !== w) }) }, '×'));
  }));
  const links = el('span', { class: 'table-links' });
  const facetBox = el('div', { class: 'facets' });
  const grid = el('div', { id: 'table-grid' });
  const problems = el('div', { class: 'error small' });
  fill(root, el('div', { class: 'split' },
    el('div', { class: 'left table-left' }, el('h3', {}, 'Tables'), list),
    el('div', { class: 'right' },
      el('div', { class: 'toolbar wrap' }, el('strong', {}, name), colSel, opSel, value, add, facetSel, links),
      chips, problems, facetBox, el('div', { class: 'scroll' }, grid))));

  const params = { where: state.where, sort: state.sort, desc: state.desc || null, facet: state.facets, limit: 50, offset: state.offset || 0 };
  const data = await api(tableUrl(name), params);
  const csvParams = new URLSearchParams();
  state.where.forEach((w) => csvParams.append('where', w));
  if (state.sort) csvParams.set('sort', state.sort);
  if (state.desc) csvParams.set('desc', 'true');
  fill(links, jsonLink(tableUrl(name), params),
    el('a', { class: 'csv-link', href: `${tableUrl(name)}/csv${csvParams.toString() ? `?${csvParams}` : ''}`, download: `${name}.csv`, title: 'Every row of this view (filters and sort), values whole' }, 'CSV'));
  fill(problems, data.problems.map((p) => el('div', {}, p)));
  fill(facetBox, data.facets.map((f) => el('div', { class: 'facet', 'data-column': f.column },
    el('h4', {}, f.column, el('span', { class: 'muted small' }, ` ${plural(f.distinct, 'value')}`),
      el('button', { type: 'button', title: 'Remove this facet', 'aria-label': `Remove the facet ${f.column}`, onclick: () => go({ facets: state.facets.filter((c) => c !== f.column) }) }, '×')),
    el('ul', {}, f.values.map((v) => el('li', {},
      el('a', { href: '#', onclick: (e) => {
        e.preventDefault();
        const w = v.value === null ? `${f.column}:null` : `${f.column}:eq:${text(v.value)}`;
        go({ where: [...state.where.filter((x) => x !== w), w] });
      } }, v.value === null ? '(empty)' : text(v.value)), el('span', { class: 'muted small' }, ` ${v.count.toLocaleString('en')}`)))))));

  const sortBy = (c) => go({ sort: c, desc: state.sort === c ? !state.desc : false });
  const head = el('tr', {}, data.columns.map((c) => el('th', { class: 'sortable', 'data-column': c.name, title: `${c.type}: click to sort`, onclick: () => sortBy(c.name) },
    c.name, state.sort === c.name ? (state.desc ? ' ▼' : ' ▲') : '')));
  const body = data.items.map((row) => el('tr', { onclick: (e) => {
    if (e.target.closest('a')) return;
    show(el('div', { class: 'record' }, el('h3', {}, `${name} row`),
      el('dl', { class: 'fields' }, data.columns.flatMap((c) => [el('dt', {}, c.name), el('dd', {}, text(row[c.name]))]))));
  } }, data.columns.map((c) => cell(c.name, row[c.name]))));
  fill(grid, pager(data, (offset) => state.set({ offset })),
    el('table', { class: 'grid table-view' }, el('thead', {}, head), el('tbody', {}, body)));
  return () => {};
}
