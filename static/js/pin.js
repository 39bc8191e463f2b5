// The service form's map: the pin shows where the address was found and can be moved to the
// right door with the mouse or the keyboard (arrow keys on the focused pin; Shift for larger
// steps). A pin moved by hand wins over the geocoders. Without JavaScript the coordinates can
// be typed in the fields beside the map. Without tiles the map keeps the outline of Belgium
// and says so, as the public map does; each move is told in words in a live region.

import { BELGIUM, baseMap, ensureLeaflet } from "./leaflet-loader.js";

const element = document.getElementById("pin-map");
const lat = document.getElementById("lat");
const lon = document.getElementById("lon");
const manual = document.getElementById("position_manual");
const status = document.getElementById("pin-status");
const precision = document.getElementById("pin-precision");
const strings = JSON.parse(element.dataset.strings);
const STEP = 0.0001; // about 11 m north-south, 7 m east-west in Belgium
const METRES_PER_DEGREE = 111320;
const COMPASS = ["north", "northEast", "east", "southEast", "south", "southWest", "west", "northWest"];
const number = new Intl.NumberFormat(document.documentElement.lang || "fr", { maximumFractionDigits: 1 });

// How far and which way `to` lies from `from`: [metres, compass point].
function offset(from, to) {
  const north = (to.lat - from.lat) * METRES_PER_DEGREE;
  const east = (to.lng - from.lng) * METRES_PER_DEGREE * Math.cos((from.lat * Math.PI) / 180);
  const degrees = (Math.atan2(east, north) * 180) / Math.PI;
  return [Math.hypot(north, east), COMPASS[(Math.round(degrees / 45) + 8) % 8]];
}

function distanceText(metres) {
  if (metres >= 1000) return `${number.format(Math.round(metres / 100) / 10)}\u00a0km`;
  const rounded = metres >= 100 ? Math.round(metres / 10) * 10 : Math.round(metres);
  return `${number.format(rounded)}\u00a0m`;
}

function announce(start, point) {
  const [metres, direction] = offset(start, point);
  status.textContent = metres < 1
    ? strings.back
    : strings.moved.replace("{distance}", distanceText(metres))
      .replace("{direction}", strings.directions[direction]);
}

function setPosition(point) {
  lat.value = point.lat.toFixed(6);
  lon.value = point.lng.toFixed(6);
  manual.checked = true;
  element.dataset.manual = "1";
  if (precision) precision.textContent = strings.manual;
}

async function start() {
  const L = await ensureLeaflet(JSON.parse(element.dataset.assets));
  const map = baseMap(L, element, strings, { maxZoom: 19 });
  const known = lat.value && lon.value;
  if (!known) {
    map.fitBounds(BELGIUM);
    element.dataset.ready = "1";
    return;
  }
  const start = L.latLng(Number(lat.value), Number(lon.value));
  const marker = L.marker(start, {
    draggable: true, keyboard: true, title: strings.pin, alt: strings.pin, autoPan: true,
  }).addTo(map);
  map.setView(start, element.dataset.precision === "commune" ? 14 : 17);
  const moved = (point) => {
    setPosition(point);
    announce(start, point);
  };
  marker.on("dragend", () => moved(marker.getLatLng()));
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
    moved(next);
  });
  for (const input of [lat, lon]) {
    input.addEventListener("change", () => {
      const point = L.latLng(Number(lat.value), Number(lon.value));
      if (Number.isNaN(point.lat) || Number.isNaN(point.lng)) return;
      marker.setLatLng(point);
      map.panTo(point);
      manual.checked = true;
      announce(start, point);
    });
  }
  element.dataset.ready = "1";
}

start().catch(() => {
  const placeholder = element.querySelector(".map-placeholder");
  if (placeholder) placeholder.textContent = strings.unavailable;
});
