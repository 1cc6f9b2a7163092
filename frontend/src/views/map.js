// Map of events (leaflet) over a bundled world outline (Natural Earth 1:110m via world-atlas); no tiles,
// nothing fetched from outside. Each circle is a place named in the events' sentences.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { feature } from 'topojson-client';
import world from 'world-atlas/countries-110m.json';
import { eventNode, show } from '../inspector.js';
import { api, balanceColour, el, fill, jsonLink, plural, state } from '../util.js';

// Rings that cross the antimeridian are unwrapped (longitudes made continuous) so no line runs across
// the map; Antarctica (ISO 010) is left out, as no rings close around it on this projection.
function unwrap(ring) {
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i) {
      const prev = ring[i - 1][0];
      if (lon - prev > 180) shift -= 360;
      else if (prev - lon > 180) shift += 360;
    }
    return [lon + shift, lat];
  });
}
const countries = feature(world, world.objects.countries);
countries.features = countries.features.filter((f) => f.id !== '010').map((f) => {
  const g = f.geometry;
  if (!g) return f;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const fixed = polys.map((poly) => poly.map(unwrap));
  return { ...f, geometry: { type: 'MultiPolygon', coordinates: fixed } };
});

export async function render(root) {
  const info = el('span', { class: 'muted', id: 'map-info' });
  const box = el('div', { id: 'map', class: 'canvas' });
  fill(root, el('div', { class: 'toolbar' }, info,
    el('span', { class: 'legend' }, el('i', { style: `background:${balanceColour(1, 0)}` }), 'cooperation',
      el('i', { style: `background:${balanceColour(0, 1)}` }), 'conflict', ' — circle area: events')), box);

  const map = L.map(box, { worldCopyJump: false, minZoom: 1, maxZoom: 10, attributionControl: true, zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false).addAttribution('Outline: Natural Earth');
  L.geoJSON(countries, { style: { color: '#9aa5b1', weight: 0.6, fillColor: '#eef1f4', fillOpacity: 1 }, interactive: false }).addTo(map);
  map.setView([30, 40], 2, { animate: false });

  const params = { ...state.params(), limit: 2000 };
  const data = await api('api/map', params);
  info.before(jsonLink('api/map', params));
  info.textContent = `${plural(data.placed, 'event')} at ${plural(data.points.length, 'place')} (of ${data.events.toLocaleString('en')} in the selection; the others name no place in their sentence)`;
  const most = Math.max(1, ...data.points.map((p) => p.events));
  const markers = [];
  for (const p of data.points) {
    const marker = L.circleMarker([p.latitude, p.longitude], {
      radius: 5 + 20 * Math.sqrt(p.events / most), color: '#333', weight: 1,
      fillColor: balanceColour(p.cooperation, p.conflict), fillOpacity: 0.75,
    }).addTo(map);
    // an element, not a string: leaflet would read a string as HTML, and place names come from articles
    marker.bindTooltip(el('span', {}, `${p.place}: ${plural(p.events, 'event')}`));
    marker.on('click', async () => {
      show(el('h2', {}, p.place), el('p', { class: 'muted' }, `${plural(p.events, 'event')} (${p.cooperation} cooperative, ${p.conflict} conflictual)`),
        el('p', { class: 'muted' }, 'Loading…'));
      const full = await Promise.all(p.items.slice(0, 40).map((item) => api(`api/events/${encodeURIComponent(item.id)}`)));
      show(el('h2', {}, p.place), el('p', { class: 'muted' }, `${plural(p.events, 'event')} (${p.cooperation} cooperative, ${p.conflict} conflictual)${p.events > 40 ? '; the first 40' : ''}`),
        ...full.map((e) => eventNode(e)));
    });
    markers.push(marker);
  }
  if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 6, animate: false });
  window.__tacitus = { ...(window.__tacitus || {}), mapPoints: markers.length };
  return () => { map.stop(); map.off(); map.remove(); };
}
