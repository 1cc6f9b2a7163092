// Articles: a list (filtered by actor and words) and one article's clean text with every extraction
// highlighted; a click on highlighted text shows the records covering it, a click on a record marks its span.
import { eventNode, quoteNode, recordNode, show } from '../inspector.js';
import { api, articleLink, el, fill, pager, plural, state, undatedNote } from '../util.js';

export const LAYERS = [
  ['mentions', 'actors'], ['events', 'events'], ['quotes', 'quotes'], ['places', 'places'],
  ['timexes', 'times'], ['counts', 'counts'], ['roles', 'roles'], ['claims', 'claims'],
];

// Cut the text at every span boundary; each piece knows which spans cover it (spans may overlap or nest).
export function segments(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    if (s.start >= 0 && s.end <= text.length && s.end > s.start) { cuts.add(s.start); cuts.add(s.end); }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    out.push({ start: a, end: b, spans: spans.filter((s) => s.start <= a && s.end >= b && s.end > s.start) });
  }
  return out;
}

function recordFor(layer, r) {
  if (layer === 'events') return eventNode(r, { withArticle: false });
  if (layer === 'quotes') return quoteNode(r);
  return recordNode(layer, r);
}

function renderText(container, article, enabled) {
  const text = article.text || '';
  const spans = [];
  for (const [layer] of LAYERS) {
    if (!enabled.has(layer)) continue;
    for (const r of article[layer] || []) {
      if (r.start == null || r.end == null) continue;
      spans.push({ layer, id: r.id, start: r.start, end: r.end, record: r });
    }
  }
  const byKey = new Map(spans.map((s) => [`${s.layer}:${s.id}`, s]));
  const pieces = segments(text, spans).map((seg) => {
    const piece = text.slice(seg.start, seg.end);
    if (!seg.spans.length) return document.createTextNode(piece);
    const layers = [...new Set(seg.spans.map((s) => s.layer))];
    const mine = state.actor && seg.spans.some((s) => s.layer === 'mentions' && s.record.actor_id === state.actor);
    return el('span', {
      class: ['hl', ...layers.map((l) => `l-${l}`), mine ? 'focus-actor' : ''].join(' ').trim(),
      'data-spans': seg.spans.map((s) => `${s.layer}:${s.id}`).join(' '),
      'data-start': seg.start, 'data-end': seg.end,
    }, piece);
  });
  fill(container, ...pieces);

  const mark = (key) => {
    container.querySelectorAll('.selected').forEach((n) => n.classList.remove('selected'));
    const s = byKey.get(key);
    if (!s) return null;
    let first = null;
    container.querySelectorAll('span.hl').forEach((n) => {
      if (Number(n.dataset.start) >= s.start && Number(n.dataset.end) <= s.end) {
        n.classList.add('selected');
        first = first || n;
      }
    });
    return first;
  };
  const inspect = (keys) => {
    // innermost (shortest) first
    const found = keys.map((k) => byKey.get(k)).filter(Boolean).sort((a, b) => (a.end - a.start) - (b.end - b.start));
    show(el('h2', {}, plural(found.length, 'record'), ' here'),
      ...found.map((s) => {
        const node = recordFor(s.layer, s.record);
        node.classList.add('clickable');
        node.addEventListener('click', (e) => { if (!e.target.closest('a')) mark(`${s.layer}:${s.id}`); });
        return node;
      }));
    if (found.length) mark(`${found[0].layer}:${found[0].id}`);
  };
  container.onclick = (e) => {
    const span = e.target.closest('span.hl');
    if (span) inspect(span.dataset.spans.split(' '));
  };
  return { mark, inspect, spans: spans.length };
}

export async function render(root) {
  const q = el('input', { type: 'search', placeholder: 'words in title or text', id: 'article-q' });
  const list = el('div', { id: 'article-list', class: 'scroll' });
  const reader = el('div', { id: 'article-reader', class: 'scroll' }, el('p', { class: 'muted' }, 'Choose an article.'));
  fill(root, el('div', { class: 'split' }, el('div', { class: 'left' }, el('div', { class: 'toolbar' }, q), list), reader));

  const enabled = new Set(LAYERS.map(([l]) => l));
  const open = async (id, focus) => {
    fill(reader, el('p', { class: 'muted' }, 'Loading…'));
    let a;
    try {
      a = await api(`api/articles/${encodeURIComponent(id)}`);
    } catch (err) {
      fill(reader, el('p', { class: 'error' }, err.message));
      return;
    }
    list.querySelectorAll('li').forEach((li) => li.classList.toggle('current', li.dataset.id === id));
    const body = el('div', { class: 'article-text', id: 'article-text' });
    const toggles = el('div', { class: 'layers' }, LAYERS.map(([layer, label]) => el('label', { class: `toggle l-${layer}` },
      el('input', { type: 'checkbox', checked: enabled.has(layer), onchange: (e) => {
        if (e.target.checked) enabled.add(layer); else enabled.delete(layer);
        renderText(body, a, enabled);
      } }), ` ${label} (${(a[layer] || []).length})`)));
    fill(reader,
      el('h2', {}, a.title || '(untitled)'),
      el('p', { class: 'muted small' }, [a.published, a.outlet, a.author, a.dateline, a.status !== 'ok' ? `status: ${a.status}` : null,
        a.word_count ? `${a.word_count} words` : null, a.tone != null ? `tone ${a.tone}` : null].filter(Boolean).join(' · ')),
      a.duplicate_of ? el('p', { class: 'note' }, 'A copy of ', articleLink(a.duplicate_of, 'its original'), a.similarity ? ` (similarity ${a.similarity.toFixed(2)})` : '', '; not extracted again.') : null,
      a.url ? el('p', { class: 'muted small' }, a.url) : null,
      toggles, body);
    const view = renderText(body, a, enabled);
    window.__tacitus = { ...(window.__tacitus || {}), articleSpans: view.spans };
    if (focus) {
      const first = view.mark(focus);
      if (first) {
        first.scrollIntoView({ block: 'center' });
        view.inspect([focus]);
      }
    }
  };

  const load = async (offset = 0) => {
    const data = await api('api/articles', { actor: state.actor, q: q.value.trim(), since: state.since, until: state.until, limit: 50, offset });
    fill(list, pager(data, load), undatedNote(data.undated, 'article', 'no publication date'), el('ul', { class: 'articles' }, data.items.map((item) => el('li', {
      'data-id': item.id, class: item.id === state.article ? 'current' : '',
      onclick: () => state.set({ article: item.id, focus: null }),
    }, el('div', { class: 'title' }, item.title || '(untitled)'),
    el('div', { class: 'muted small' }, [item.published, item.outlet, item.status !== 'ok' ? item.status : null,
      `${item.events} events, ${item.quotes} quotes`].filter(Boolean).join(' · '))))));
    if (!state.article && data.items.length) state.set({ article: data.items[0].id, focus: null });
  };
  let timer = null;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(0), 250); });
  await load(0);
  if (state.article) await open(state.article, state.focus);
  return { cleanup: () => clearTimeout(timer), open };
}
