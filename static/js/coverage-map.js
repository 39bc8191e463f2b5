// The coverage map: one point per commune, coloured by its state, read from the table beside it
// (data-lat, data-lon, data-state, data-label on each row), so the map shows what the table says.

import { BELGIUM, baseMap, ensureLeaflet } from "./leaflet-loader.js";

// The same colours as the legend (static/css/coverage.css): filled, light, hollow.
const STYLES = {
  own: { color: "#1d6b38", fillColor: "#1d6b38", fillOpacity: 0.9 },
  shared: { color: "#8a4500", fillColor: "#f0b46e", fillOpacity: 0.9 },
  none: { color: "#a4161a", fillColor: "#ffffff", fillOpacity: 0.6 },
};

function drawMap(L, element, strings) {
  const map = baseMap(L, element, strings, { preferCanvas: true, zoomSnap: 0.25 });
  map.fitBounds(BELGIUM);
  let count = 0;
  for (const row of document.querySelectorAll(element.dataset.rows)) {
    const lat = Number(row.dataset.lat);
    const lon = Number(row.dataset.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const style = STYLES[row.dataset.state] || STYLES.none;
    L.circleMarker([lat, lon], { radius: 5, weight: 2, ...style })
      .bindTooltip(row.dataset.label)
      .addTo(map);
    count += 1;
  }
  element.dataset.markers = String(count);
  element.dispatchEvent(new CustomEvent("map:ready", { bubbles: true }));
}

async function start() {
  const element = document.getElementById("coverage-map");
  if (!element) return;
  const strings = JSON.parse(element.dataset.strings);
  try {
    drawMap(await ensureLeaflet(JSON.parse(element.dataset.assets)), element, strings);
  } catch (error) {
    element.classList.add("map-failed");
    const note = element.querySelector(".map-placeholder")
      || element.appendChild(document.createElement("p"));
    note.className = "map-placeholder";
    note.textContent = strings.unavailable;
  }
}

start();
