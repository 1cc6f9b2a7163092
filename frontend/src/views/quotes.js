// Quote browser: who said what, in which role, with which cue; filtered by the actor (speaker or named in
// the quote), the date range (the article's publication date), a text search and the kind.
import { quoteNode, show } from '../inspector.js';
import { actorLink, api, articleLink, el, fill, jsonLink, pager, state, undatedNote } from '../util.js';

export async function render(root) {
  const q = el('input', { type: 'search', placeholder: 'words in the quote or speaker', id: 'quote-q' });
  const kind = el('select', { id: 'quote-kind' }, el('option', { value: '' }, 'direct and indirect'),
    el('option', { value: 'direct' }, 'direct'), el('option', { value: 'indirect' }, 'indirect'));
  const list = el('div', { id: 'quote-list' });
  const json = el('span');
  const merge = el('input', { type: 'checkbox', id: 'quote-merged', checked: true });
  fill(root, el('div', { class: 'toolbar' }, q, kind,
    el('label', { title: 'The same words reported by several articles are one row (the first report)' }, merge, ' merge reports of the same quote'),
    json), el('div', { class: 'scroll' }, list));

  const load = async (offset = 0) => {
    const params = { actor: state.actor, q: q.value.trim(), kind: kind.value, merged: merge.checked,
      since: state.since, until: state.until, limit: 50, offset };
    const data = await api('api/quotes', params);
    fill(json, jsonLink('api/quotes', params), undatedNote(data.undated, 'quote', 'their article has no publication date'));
    const rows = data.items.map((item) => el('tr', { 'data-id': item.id, onclick: (e) => { if (!e.target.closest('a')) show(quoteNode(item)); } },
      el('td', { class: 'nowrap' }, item.article_published || ''),
      el('td', {}, item.speaker_actor_id ? actorLink(item.speaker_actor_id, item.speaker_name || item.speaker) : el('span', { class: 'muted' }, item.speaker || 'unknown'),
        item.speaker_role ? el('div', { class: 'role' }, item.speaker_role) : null),
      el('td', { class: 'quote-text' }, el('span', { class: item.kind === 'direct' ? 'direct' : 'indirect' }, item.kind === 'direct' ? `“${item.text}”` : item.text),
        el('div', { class: 'muted small' }, `${item.kind}${item.cue ? `, cue “${item.cue}”` : ''}`)),
      el('td', {}, articleLink(item.article_id, item.article_title, `quotes:${item.id}`), el('div', { class: 'muted small' }, item.article_outlet || ''),
        merge.checked && item.cluster_articles > 1 ? el('div', { class: 'small' }, `reported by ${item.cluster_articles} articles: ${(item.cluster_outlet_names || []).join(', ')}`) : null)));
    fill(list, pager(data, load),
      el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, el('th', {}, 'published'), el('th', {}, 'speaker and role'), el('th', {}, 'quote'), el('th', {}, 'article'))),
        el('tbody', {}, rows)));
  };
  let timer = null;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(0), 250); });
  kind.addEventListener('change', () => load(0));
  merge.addEventListener('change', () => load(0));
  await load(0);
  return () => clearTimeout(timer);
}
