// The review's small map of a pin that moved: the position before and after, joined by a line.
// The figure's caption says the same in words; without tiles the outline of Belgium stays.

import { baseMap, ensureLeaflet } from "./leaflet-loader.js";

async function draw(element) {
  const strings = JSON.parse(element.dataset.strings);
  const L = await ensureLeaflet(JSON.parse(element.dataset.assets));
  const map = baseMap(L, element, strings, { scrollWheelZoom: false, keyboard: false });
  const before = JSON.parse(element.dataset.before);
  const after = JSON.parse(element.dataset.after);
  const style = (colour) => ({ radius: 8, color: colour, weight: 3, fillOpacity: 0.6 });
  L.circleMarker(before, style("#6b7a88")).bindTooltip(strings.before, { permanent: true })
    .addTo(map);
  L.circleMarker(after, style("#0b5394")).bindTooltip(strings.after, { permanent: true })
    .addTo(map);
  L.polyline([before, after], { color: "#0b5394", dashArray: "4 4", interactive: false })
    .addTo(map);
  map.fitBounds(L.latLngBounds([before, after]), { padding: [40, 40], maxZoom: 17 });
  element.dataset.ready = "1";
}

for (const element of document.querySelectorAll(".pin-move-map")) {
  draw(element).catch(() => {
    const placeholder = element.querySelector(".map-placeholder");
    if (placeholder) placeholder.textContent = JSON.parse(element.dataset.strings).unavailable;
  });
}
