// The service form's map: the pin shows where the address was found and can be moved to the
// right door with the mouse or the keyboard (arrow keys on the focused pin; Shift for larger
// steps). A pin moved by hand wins over the geocoders. Without JavaScript the coordinates can
// be typed in the fields beside the map.

import { BELGIUM, ensureLeaflet } from "./leaflet-loader.js";

const element = document.getElementById("pin-map");
const lat = document.getElementById("lat");
const lon = document.getElementById("lon");
const manual = document.getElementById("position_manual");
const status = document.getElementById("pin-status");
const strings = JSON.parse(element.dataset.strings);
const STEP = 0.0001; // about 11 m north-south, 7 m east-west in Belgium

function announce(point) {
  status.textContent = strings.moved
    .replace("{lat}", point.lat.toFixed(5)).replace("{lon}", point.lng.toFixed(5));
}

function setPosition(point) {
  lat.value = point.lat.toFixed(6);
  lon.value = point.lng.toFixed(6);
  manual.checked = true;
  element.dataset.manual = "1";
}

async function start() {
  const L = await ensureLeaflet(JSON.parse(element.dataset.assets));
  const map = L.map(element, { zoomControl: true, attributionControl: false });
  L.control.attribution({ prefix: strings.prefix }).addTo(map);
  L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution, maxZoom: 19 })
    .addTo(map);
  element.querySelector(".map-placeholder")?.remove();
  const known = lat.value && lon.value;
  if (!known) {
    map.fitBounds(BELGIUM);
    return;
  }
  const marker = L.marker([Number(lat.value), Number(lon.value)], {
    draggable: true, keyboard: true, title: strings.pin, alt: strings.pin, autoPan: true,
  }).addTo(map);
  map.setView(marker.getLatLng(), element.dataset.precision === "commune" ? 14 : 17);
  marker.on("dragend", () => {
    setPosition(marker.getLatLng());
    announce(marker.getLatLng());
  });
  const icon = marker.getElement();
  icon.setAttribute("aria-describedby", "pin-help");
  icon.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    event.stopPropagation();
    const factor = event.shiftKey ? 10 : 1;
    const here = marker.getLatLng();
    const next = L.latLng(here.lat + move[0] * STEP * factor, here.lng + move[1] * STEP * 1.6 * factor);
    marker.setLatLng(next);
    map.panTo(next, { animate: false });
    setPosition(next);
    announce(next);
  });
  for (const input of [lat, lon]) {
    input.addEventListener("change", () => {
      const point = L.latLng(Number(lat.value), Number(lon.value));
      if (Number.isNaN(point.lat) || Number.isNaN(point.lng)) return;
      marker.setLatLng(point);
      map.panTo(point);
      manual.checked = true;
    });
  }
  element.dataset.ready = "1";
}

start().catch(() => {
  element.querySelector(".map-placeholder").textContent = strings.unavailable;
});
