// The right-hand panel: the record behind whatever was clicked, with links to its actors and article.
import { QUAD_COLOURS, actorLink, api, articleLink, el, plural, fill } from './util.js';

const panel = () => document.getElementById('inspector');

export function show(...nodes) {
  fill(panel(), ...nodes);
}

function fields(pairs) {
  return el('dl', { class: 'fields' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false)
    .map(([k, v]) => [el('dt', {}, k), el('dd', {}, v instanceof Node ? v : String(v === true ? 'yes' : v))]));
}

function flags(e) {
  return ['negated', 'hedged', 'future', 'historical'].filter((f) => e[f]).join(', ');
}

export function eventNode(e, { withArticle = true } = {}) {
  const src = e.source_actor_id ? actorLink(e.source_actor_id, e.source_name || e.source?.name, e.source?.code)
    : el('span', { class: 'muted' }, e.source_text || e.source?.name || '—');
  const tgt = e.target_actor_id ? actorLink(e.target_actor_id, e.target_name || e.target?.name, e.target?.code)
    : el('span', { class: 'muted' }, e.target_text || e.target?.name || '—');
  return el('div', { class: 'record event', 'data-id': e.id },
    el('h3', {}, el('span', { class: 'swatch', style: `background:${QUAD_COLOURS[e.quad] || '#999'}` }),
      `${e.type}${e.mode ? ` (${e.mode})` : ''}`),
    el('p', { class: 'triple' }, src, ' → ', tgt),
    e.sentence_text ? el('blockquote', {}, e.sentence_text) : null,
    fields([
      ['date', e.date ? `${e.date}${e.date_source ? ` (from ${e.date_source})` : ''}` : 'undated'],
      ['quad class', e.quad], ['intensity', e.intensity], ['trigger', e.trigger], ['place', e.place],
      ['fatalities', e.fatalities ? `${Number(e.fatalities).toLocaleString('en')}${(e.casualty_text || []).length ? ` (“${e.casualty_text.join('”, “')}”)` : ''}` : null],
      ['wounded', e.wounded ? Number(e.wounded).toLocaleString('en') : null],
      ['flags', flags(e)], ['reported by', e.reported_by?.name], ['claim', e.claim],
      ['reported in', e.cluster_articles > 1 ? `${plural(e.cluster_articles, 'article')} by ${plural(e.cluster_outlets || 0, 'outlet')}${(e.cluster_outlet_names || []).length ? ` (${e.cluster_outlet_names.join(', ')})` : ''}` : null],
      ['confidence', e.confidence], ['event id', e.id],
      ['article', withArticle ? articleLink(e.article_id, `${e.article_title || e.article_id}${e.article_published ? ` (${e.article_published})` : ''}`, `events:${e.id}`) : null],
    ]));
}

export function showEvent(e) {
  show(eventNode(e));
}

export function showEvents(title, events, ...before) {
  show(el('h2', {}, title), ...before, el('p', { class: 'muted' }, plural(events.length, 'event')), ...events.map((e) => eventNode(e)));
}

// Cooperation (up) and conflict (down) per period as SVG bars, verbal lighter than material.
export function dyadChart(periods) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs, ...kids) => {
    const n = document.createElementNS(NS, tag);
    Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, v));
    kids.forEach((k) => n.append(k));
    return n;
  };
  const rows = periods.filter((p) => p.events > 0);
  if (!rows.length) return el('p', { class: 'muted small' }, 'No dated merged events between them.');
  const W = 340; const H = 150; const mid = H / 2;
  // years on a proportional axis (gaps stay gaps); other periods one after another
  // (a decade "1980s" sits at its first year; a month or day period at its year)
  const yearOf = (p) => { const m = /^(\d{4})/.exec(p.period || ''); return m ? Number(m[1]) : null; };
  const byYear = rows.every((p) => yearOf(p) !== null) && new Set(rows.map(yearOf)).size === rows.length;
  const years = byYear ? rows.map(yearOf) : null;
  const slots = years ? years[years.length - 1] - years[0] + 1 : rows.length;
  const bw = Math.max(2, Math.min(24, (W - 20) / slots - 1));
  const xOf = (i) => 10 + (years ? years[i] - years[0] : i) * ((W - 20) / slots);
  const top = Math.max(1, ...rows.map((p) => Math.max(p.cooperation, p.conflict)));
  const scale = (mid - 16) / top;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'dyad-chart', role: 'img' },
    svg('line', { x1: 0, x2: W, y1: mid, y2: mid, stroke: '#999', 'stroke-width': 1 }));
  rows.forEach((p, i) => {
    const x = xOf(i);
    let y = mid;
    for (const [key, colour] of [['material_cooperation', QUAD_COLOURS['material cooperation']], ['verbal_cooperation', QUAD_COLOURS['verbal cooperation']]]) {
      const h = p[key] * scale;
      if (h) { y -= h; chart.append(svg('rect', { x, y, width: bw, height: h, fill: colour })); }
    }
    y = mid;
    for (const [key, colour] of [['material_conflict', QUAD_COLOURS['material conflict']], ['verbal_conflict', QUAD_COLOURS['verbal conflict']]]) {
      const h = p[key] * scale;
      if (h) { chart.append(svg('rect', { x, y, width: bw, height: h, fill: colour })); y += h; }
    }
    const label = svg('title', {});
    label.textContent = `${p.period}: ${p.cooperation} cooperative, ${p.conflict} conflictual (${p.types})`;
    chart.append(svg('rect', { x, y: 0, width: bw, height: H, fill: 'transparent' }, label));
  });
  const first = svg('text', { x: 10, y: H - 2, 'font-size': 10, fill: '#666' });
  first.textContent = rows[0].period;
  const last = svg('text', { x: W - 10, y: H - 2, 'font-size': 10, fill: '#666', 'text-anchor': 'end' });
  last.textContent = rows[rows.length - 1].period;
  chart.append(first, last);
  return el('div', { class: 'dyad' }, chart,
    el('p', { class: 'muted small' }, `merged events per year, both directions (as tacitus dyad; the pair's codes and their sub-actors); up: cooperation, down: conflict`));
}

export async function showActor(id) {
  show(el('p', { class: 'muted' }, 'Loading actor…'));
  try {
    const a = await api(`api/actors/${encodeURIComponent(id)}`);
    show(el('div', { class: 'record actor-profile', 'data-id': a.id },
      el('h2', {}, a.name, a.code ? el('span', { class: 'code' }, a.code) : null),
      fields([['kind', a.kind], ['country', a.country], ['sector', a.sector], ['mentions', a.mention_count],
        ['events', a.events], ['articles', a.articles], ['quotes spoken', a.quotes], ['actor id', a.id],
        ['also called', (a.aliases || []).slice(0, 12).join('; ')]]),
      a.by_quad.length ? el('table', { class: 'mini' }, el('tr', {}, el('th', {}, 'quad class'), el('th', {}, 'as source'), el('th', {}, 'as target')),
        a.by_quad.map((q) => el('tr', {}, el('td', {}, q.quad || '—'), el('td', {}, q.as_source), el('td', {}, q.as_target)))) : null,
      a.partners.length ? el('div', {}, el('h3', {}, 'Partners'), el('ul', { class: 'partners' }, a.partners.map((p) =>
        el('li', {}, actorLink(p.id, p.name, p.code), ` ${p.events} events (${p.cooperation} cooperative, ${p.conflict} conflictual)`)))) : null,
      a.roles.length ? el('div', {}, el('h3', {}, 'Roles'), el('ul', {}, a.roles.map((r) =>
        el('li', {}, [r.title, r.organisation].filter(Boolean).join(', ') || r.text, r.date ? ` (${r.date})` : '',
          r.article_id ? [' — ', articleLink(r.article_id, r.article_title)] : null)))) : null));
  } catch (err) {
    show(el('p', { class: 'error' }, `Cannot load actor: ${err.message}`));
  }
}

export function quoteNode(q) {
  return el('div', { class: 'record quote', 'data-id': q.id },
    el('h3', {}, `${q.kind || ''} quote`),
    el('blockquote', {}, q.text),
    fields([['speaker', q.speaker_actor_id ? actorLink(q.speaker_actor_id, q.speaker_name || q.speaker) : q.speaker],
      ['as written', q.speaker_name && q.speaker !== q.speaker_name ? q.speaker : null], ['role', q.speaker_role], ['cue', q.cue],
      ['quote id', q.id]]));
}

// A generic record of the article view (mention, place, time, count, role, claim) as a field list.
export function recordNode(layer, r) {
  const title = { mentions: 'actor mention', places: 'place', timexes: 'time expression', counts: 'count', roles: 'role', claims: 'claim' }[layer] || layer;
  const pairs = [['text', r.text]];
  if (layer === 'mentions') pairs.push(['actor', actorLink(r.actor_id, r.actor_name, r.actor_code)], ['kind', r.actor_kind]);
  if (layer === 'places') pairs.push(['resolved to', r.name], ['country', r.country],
    ['coordinates', r.latitude != null ? `${r.latitude.toFixed(3)}, ${r.longitude.toFixed(3)}` : null],
    ['acting as government', r.is_actor], ['resolved', r.resolved === false ? 'no' : null]);
  if (layer === 'timexes') pairs.push(['value', r.value], ['precision', r.precision], ['type', r.type]);
  if (layer === 'counts') pairs.push(['number', r.number], ['category', r.category], ['object', r.object],
    ['approximate', r.approximate], ['place', r.place]);
  if (layer === 'roles') pairs.push(['actor', actorLink(r.actor_id, r.actor_name)], ['title', r.title],
    ['organisation', r.organisation], ['code', r.code], ['date', r.date]);
  if (layer === 'claims') pairs.push(['stance', r.stance], ['claimant', r.claimant_actor_id ? actorLink(r.claimant_actor_id, r.claimant, r.claimant_code) : r.claimant],
    ['proposition', r.proposition], ['cue', r.cue], ['date', r.date]);
  pairs.push(['offsets', `${r.start}–${r.end}`], ['id', r.id]);
  return el('div', { class: `record ${layer}`, 'data-id': r.id }, el('h3', {}, title), fields(pairs));
}
