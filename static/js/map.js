// The map: Leaflet with clustered markers, kept in sync with the accessible result list.
// Everything on the map is also in the list; the page works before (and without) this module.
// The services come from /api/v1/services.points (one row [id, lat, lon, name] each), asked
// for by the page's <link rel="preload"> while Leaflet loads, and read here from that answer.
// Leaflet is loaded when a map is to be seen: at once beside the results on a wide screen, when
// "Map" is pressed on a phone (the list comes first), as a service's map scrolls near.

import { BELGIUM, baseMap, ensureLeaflet } from "./leaflet-loader.js";

function point(text) {
  const [lat, lon] = (text || "").split(",").map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
}

function popupContent(url, name) {
  const link = document.createElement("a");
  link.href = url;
  link.textContent = name;
  return link;
}

// Started before Leaflet is awaited: the answer the page preloaded.
function fetchPoints(element) {
  if (!element.dataset.pointsUrl) return null;
  const answer = fetch(element.dataset.pointsUrl).then((response) => {
    if (!response.ok) throw new Error(`points ${response.status}`);
    return response.json();
  });
  answer.catch(() => {}); // said where it is awaited, or not at all when Leaflet failed first
  return answer;
}

function linkListAndMarkers(L, map, markers) {
  // Every list of the results: the services serving the commune, by kind, and those elsewhere.
  const items = [...document.querySelectorAll(".result-list [data-service-id]")];
  if (!items.length) return;
  const ring = L.circleMarker([0, 0], { radius: 22, weight: 4, color: "#b35c00", fill: false });
  for (const item of items) {
    const marker = markers.get(item.dataset.serviceId);
    if (!marker) continue;
    const show = () => {
      ring.setLatLng(marker.getLatLng()).addTo(map);
      if (!map.getBounds().contains(marker.getLatLng())) map.panTo(marker.getLatLng());
      item.classList.add("is-highlighted");
    };
    const hide = () => {
      ring.remove();
      item.classList.remove("is-highlighted");
    };
    item.addEventListener("mouseenter", show);
    item.addEventListener("mouseleave", hide);
    item.addEventListener("focusin", show);
    item.addEventListener("focusout", hide);
    marker.on("click keypress", () => {
      item.scrollIntoView({ block: "nearest", behavior: "smooth" });
      item.classList.add("is-highlighted");
      setTimeout(() => item.classList.remove("is-highlighted"), 2000);
    });
  }
  const located = items.map((i) => point(`${i.dataset.lat},${i.dataset.lon}`)).filter(Boolean);
  return located;
}

// Clusters for the current view only: the services in view are put in cells of CELL pixels,
// a cell of one shows its marker, a cell of several a count that zooms in on them (or, at
// the last zoom, where they share an address, a list of links). Counting ten thousand points
// this way takes milliseconds at each move; clustering them at every zoom beforehand (the
// markercluster plugin) took seconds.
const CELL = 60;

function clusterIcon(L, count) {
  const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
  return L.divIcon({
    html: `<div><span>${count}</span></div>`,
    className: `marker-cluster marker-cluster-${size}`,
    iconSize: L.point(40, 40),
  });
}

function clusteredLayer(L, map, services, markerFor) {
  const layer = L.layerGroup().addTo(map);
  const draw = () => {
    layer.clearLayers();
    const zoom = map.getZoom();
    const view = map.getBounds().pad(0.25);
    const cells = new Map();
    for (const service of services) {
      if (!view.contains(service.latlng)) continue;
      const at = map.project(service.latlng, zoom);
      const key = `${Math.floor(at.x / CELL)}:${Math.floor(at.y / CELL)}`;
      const cell = cells.get(key);
      if (cell) cell.push(service);
      else cells.set(key, [service]);
    }
    for (const cell of cells.values()) {
      if (cell.length === 1) {
        layer.addLayer(markerFor(cell[0]).setLatLng(cell[0].latlng)); // spread no more
        continue;
      }
      const bounds = L.latLngBounds(cell.map((service) => service.latlng));
      const cluster = L.marker(bounds.getCenter(), {
        icon: clusterIcon(L, cell.length), keyboard: false,
      });
      if (zoom >= map.getMaxZoom() || bounds.getNorthEast().equals(bounds.getSouthWest())) {
        // Several services at one address: their markers spread in a ring around it.
        cluster.on("click", () => {
          layer.removeLayer(cluster);
          const centre = map.latLngToLayerPoint(bounds.getCenter());
          const radius = 14 + 6 * cell.length;
          cell.forEach((service, index) => {
            const angle = (2 * Math.PI * index) / cell.length - Math.PI / 2;
            const spot = centre.add(L.point(radius * Math.cos(angle), radius * Math.sin(angle)));
            layer.addLayer(markerFor(service).setLatLng(map.layerPointToLatLng(spot)));
          });
        });
      } else {
        cluster.on("click", () => map.fitBounds(bounds.pad(0.1)));
      }
      layer.addLayer(cluster);
    }
  };
  map.on("moveend", draw);
  draw();
  return layer;
}

async function servicesMap(L, element, strings, points) {
  const map = baseMap(L, element, strings, { minZoom: 6 });
  const shown = element.offsetWidth > 0; // hidden behind the list on a phone until asked for
  map.fitBounds(BELGIUM);
  const data = await points;
  map.on("layeradd", ({ layer }) => {
    const icon = layer.getElement?.();
    if (icon?.classList.contains("leaflet-marker-icon")) icon.tabIndex = -1;
  });
  const [idAt, latAt, lonAt, nameAt] = ["id", "lat", "lon", "name"].map((c) => data.columns.indexOf(c));
  const services = data.points.map((row) => ({
    id: String(row[idAt]), latlng: L.latLng(row[latAt], row[lonAt]), name: row[nameAt],
    url: data.url.replace("{id}", row[idAt]),
  }));
  const byId = new Map(services.map((service) => [service.id, service]));
  // A marker is made when first shown (or linked to the list), not ten thousand at once.
  const markers = new Map();
  const markerFor = (service) => {
    if (!markers.has(service.id)) {
      // The list is the keyboard path: markers (and the clusters) are no Tab stops.
      const marker = L.marker(service.latlng, {
        title: service.name, alt: service.name, keyboard: false,
      });
      marker.bindPopup(() => popupContent(service.url, service.name));
      markers.set(service.id, marker);
    }
    return markers.get(service.id);
  };
  const listed = { get: (id) => (byId.has(id) ? markerFor(byId.get(id)) : undefined) };
  const located = linkListAndMarkers(L, map, listed) || [];
  const origin = point(element.dataset.origin);
  let bounds = L.latLngBounds(BELGIUM);
  if (origin) {
    L.circleMarker(origin, { radius: 8, color: "#084785", fillOpacity: 0.9 })
      .bindTooltip(element.dataset.originLabel).addTo(map);
    bounds = L.latLngBounds([origin, ...located.slice(0, 5)]).pad(0.3);
    map.fitBounds(bounds, { maxZoom: 13 });
  }
  clusteredLayer(L, map, services, markerFor);
  element.dataset.markers = String(services.length);
  // Drawn while hidden, the map has no size: it is fitted again when first shown.
  map.fitWhenShown = shown ? null : bounds;
  element.dispatchEvent(new CustomEvent("map:ready", { bubbles: true }));
  return map;
}

function singleMap(L, element, strings) {
  const map = baseMap(L, element, strings);
  const here = point(element.dataset.single);
  map.setView(here, 14);
  L.marker(here, { keyboard: false }).addTo(map);
  element.dispatchEvent(new CustomEvent("map:ready", { bubbles: true }));
  return map;
}

async function draw(element) {
  const strings = JSON.parse(element.dataset.strings);
  const points = fetchPoints(element);
  try {
    const L = await ensureLeaflet(JSON.parse(element.dataset.assets));
    return element.dataset.single ? singleMap(L, element, strings)
      : await servicesMap(L, element, strings, points);
  } catch (error) {
    element.classList.add("map-failed");
    const note = element.querySelector(".map-placeholder") || element.appendChild(document.createElement("p"));
    note.className = "map-placeholder";
    note.textContent = strings.unavailable;
    return null;
  }
}

// On a phone the results and the map take turns; the map is drawn the first time it is shown.
function viewToggle(element, drawn) {
  const toggle = document.querySelector(".view-toggle");
  if (!toggle) return;
  let map = null;
  toggle.hidden = false;
  document.body.classList.add("view-list");
  for (const button of toggle.querySelectorAll("button")) {
    button.addEventListener("click", async () => {
      const view = button.dataset.view;
      document.body.classList.toggle("view-map", view === "map");
      document.body.classList.toggle("view-list", view === "list");
      for (const other of toggle.querySelectorAll("button")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      if (view !== "map") return;
      map = map || drawn() || draw(element); // once, however often the button is pressed
      const shown = await map;
      if (!shown) return;
      shown.invalidateSize();
      if (shown.fitWhenShown) shown.fitBounds(shown.fitWhenShown, { maxZoom: 13 });
      shown.fitWhenShown = null;
    });
  }
}

// A map is drawn as it comes near the viewport (within 200 px): one below the first screen
// costs nothing until the reader scrolls towards it.
function whenNear(element, callback) {
  if (!("IntersectionObserver" in window)) {
    callback();
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    callback();
  }, { rootMargin: "200px 0px" });
  observer.observe(element);
}

function start() {
  for (const element of document.querySelectorAll(".map[data-assets]")) {
    if (element.dataset.single) {
      whenNear(element, () => draw(element));
    } else if (element.offsetWidth > 0) {
      let drawn = null;
      whenNear(element, () => { drawn = draw(element); });
      viewToggle(element, () => drawn);
    } else {
      viewToggle(element, () => null); // hidden behind the list until asked for
    }
  }
}

start();
