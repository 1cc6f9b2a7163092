// Disputes: each disputed proposition with who alleges it and who denies it, since when, and the claims
// behind it in date order, each linked to its article.
import { recordNode, show } from '../inspector.js';
import { actorLink, api, articleLink, el, fill, jsonLink, pager, plural, state, undatedNote } from '../util.js';

const STANCE_CLASS = { allege: 'allege', alleges: 'allege', assert: 'allege', deny: 'deny', denies: 'deny', confirm: 'confirm', confirms: 'confirm' };

// Names on each side, linked to their actor when one of the dispute's claims resolves that claimant.
function who(list, claims) {
  if (!list || !list.length) return el('p', { class: 'muted' }, 'nobody');
  const ids = new Map(claims.filter((c) => c.claimant_actor_id).map((c) => [c.claimant, c]));
  return el('ul', {}, list.map((name) => {
    const c = ids.get(name);
    return el('li', {}, c ? actorLink(c.claimant_actor_id, name, c.claimant_code) : name);
  }));
}

function claimRow(c) {
  const stance = (c.stance || '').toLowerCase();
  return el('li', { class: `claim ${STANCE_CLASS[stance] || ''}`, 'data-id': c.id, onclick: (e) => { if (!e.target.closest('a')) show(recordNode('claims', c)); } },
    el('span', { class: 'date' }, c.date || c.article_published || 'undated'),
    el('span', { class: `stance ${STANCE_CLASS[stance] || ''}` }, c.stance || '?'),
    c.claimant_actor_id ? actorLink(c.claimant_actor_id, c.claimant, c.claimant_code) : el('span', {}, c.claimant || 'unknown'),
    el('div', { class: 'claim-text' }, c.text || ''),
    el('div', { class: 'muted small' }, articleLink(c.article_id, c.article_title, `claims:${c.id}`), c.article_outlet ? ` — ${c.article_outlet}` : ''));
}

export async function render(root) {
  const q = el('input', { type: 'search', placeholder: 'words or names on the card', id: 'dispute-q' });
  const contested = el('input', { type: 'checkbox', id: 'dispute-contested' });
  const list = el('div', { id: 'dispute-list' });
  const json = el('span');
  fill(root, el('div', { class: 'toolbar' }, q, el('label', {}, contested, ' only contested (alleged and denied)'),
    el('span', { class: 'muted small' }, 'contested first, then by number of claims'), json), el('div', { class: 'scroll' }, list));
  contested.addEventListener('change', () => load(0));
  const load = async (offset = 0) => {
    const params = { actor: state.actor, q: q.value.trim(), contested: contested.checked || null,
      since: state.since, until: state.until, limit: 20, offset };
    const data = await api('api/disputes', params);
    fill(json, jsonLink('api/disputes', params), undatedNote(data.undated, 'dispute', 'none of its claims has a date'));
    if (!data.total) {
      fill(list, el('p', { class: 'empty' }, state.actor || q.value.trim() || state.since || state.until
        ? 'No disputes in this selection.' : 'No disputes in this store: no proposition is both alleged and denied.'));
      return;
    }
    fill(list, pager(data, load), ...data.items.map((d) => el('article', { class: 'dispute', 'data-id': d.id },
      el('h3', {}, d.contested ? el('span', { class: 'badge contested' }, 'contested') : el('span', { class: 'badge' }, 'uncontested'),
        `${d.subject || d.subject_code || '?'} — ${(d.relation || '').toLowerCase()} — ${d.object || d.object_code || '?'}`),
      el('p', { class: 'muted small' }, d.proposition),
      el('p', { class: 'muted small' }, [d.since ? `disputed since ${d.since}` : null, d.first_date && d.last_date ? `claims ${d.first_date} – ${d.last_date}` : null,
        d.claims != null ? plural(d.claims, 'claim') : null, d.articles != null ? plural(d.articles, 'article') : null,
        d.outlets != null ? plural(d.outlets, 'outlet') : null].filter(Boolean).join(' · ')),
      el('div', { class: 'sides' },
        el('div', { class: 'side allege' }, el('h4', {}, 'alleged by'), who(d.alleged_by, d.claim_list || [])),
        el('div', { class: 'side deny' }, el('h4', {}, 'denied by'), who(d.denied_by, d.claim_list || [])),
        d.confirmed_by && d.confirmed_by.length ? el('div', { class: 'side confirm' }, el('h4', {}, 'confirmed by'), who(d.confirmed_by, d.claim_list || [])) : null),
      el('ol', { class: 'claim-list' }, (d.claim_list || []).map(claimRow)))));
  };
  let timer = null;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(0), 250); });
  await load(0);
  return () => clearTimeout(timer);
}
