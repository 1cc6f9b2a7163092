// The JSON API's reference, read from the server's own OpenAPI document (FastAPI's /docs pages load
// Swagger UI from a CDN, so the explorer shows the same document itself, offline).
import { el, fill } from '../util.js';

function schemaText(schema = {}) {
  const s = schema.anyOf ? schema.anyOf.find((x) => x.type !== 'null') || schema.anyOf[0] : schema;
  if (s.type === 'array') return `list of ${schemaText(s.items)}`;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const bounds = [];
  if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) bounds.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined) bounds.push(`length ≥ ${s.minLength}`);
  if (s.maxLength !== undefined) bounds.push(`length ≤ ${s.maxLength}`);
  if (s.pattern) bounds.push(`pattern ${s.pattern}`);
  return [s.type || 'any', bounds.length ? `(${bounds.join(', ')})` : ''].join(' ').trim();
}

export async function render(root) {
  const response = await fetch('openapi.json');
  const doc = await response.json();
  const operations = [];
  for (const [path, methods] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(methods)) operations.push({ path, method, op });
  }
  fill(root, el('div', { class: 'scroll api-docs' },
    el('h2', {}, `${doc.info.title} ${doc.info.version}`),
    el('p', {}, doc.info.description || ''),
    el('p', { class: 'muted' }, 'Every answer is JSON. A malformed parameter gets a 422 (or 400/404) with a one-line "error" message. ',
      el('a', { href: 'openapi.json' }, 'openapi.json'), ' is the machine-readable document.'),
    ...operations.map(({ path, method, op }) => el('section', { class: 'endpoint', id: `op-${op.operationId || path}` },
      el('h3', {}, el('span', { class: 'method' }, method.toUpperCase()), ' ',
        !path.includes('{') ? el('a', { href: path.replace(/^\//, '') }, path) : path, ' — ', op.summary || ''),
      (op.parameters || []).length ? el('table', { class: 'mini params' },
        el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'type'), el('th', {}, 'default'), el('th', {}, 'meaning')),
        op.parameters.map((p) => el('tr', {}, el('td', {}, el('code', {}, p.name), p.required ? ' (required)' : ''), el('td', {}, p.in),
          el('td', {}, schemaText(p.schema)), el('td', {}, p.schema && p.schema.default !== undefined ? JSON.stringify(p.schema.default) : ''),
          el('td', {}, p.description || (p.schema && p.schema.description) || ''))))
        : el('p', { class: 'muted small' }, 'no parameters')))));
  return () => {};
}
