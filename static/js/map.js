// The map: Leaflet with clustered markers, kept in sync with the accessible result list.
// Everything on the map is also in the list; the page works before (and without) this module.

import { BELGIUM, baseMap, ensureLeaflet } from "./leaflet-loader.js";

function point(text) {
  const [lat, lon] = (text || "").split(",").map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
}

function popupContent(feature) {
  const link = document.createElement("a");
  link.href = feature.properties.url;
  link.textContent = feature.properties.name;
  return link;
}

function linkListAndMarkers(L, map, markers, cluster) {
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

async function servicesMap(L, element, strings) {
  const map = baseMap(L, element, strings);
  map.fitBounds(BELGIUM);
  const response = await fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`GeoJSON ${response.status}`);
  const data = await response.json();
  const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
  map.on("layeradd", ({ layer }) => {
    const icon = layer.getElement?.();
    if (icon?.classList.contains("leaflet-marker-icon")) icon.tabIndex = -1;
  });
  const markers = new Map();
  for (const feature of data.features) {
    const [lon, lat] = feature.geometry.coordinates;
    // The list is the keyboard path: markers (and the clusters below) are no Tab stops.
    const marker = L.marker([lat, lon], {
      title: feature.properties.name, alt: feature.properties.name, keyboard: false,
    });
    marker.bindPopup(() => popupContent(feature));
    markers.set(String(feature.properties.id), marker);
  }
  cluster.addLayers([...markers.values()]);
  map.addLayer(cluster);
  element.dataset.markers = String(markers.size);
  const located = linkListAndMarkers(L, map, markers, cluster) || [];
  const origin = point(element.dataset.origin);
  if (origin) {
    L.circleMarker(origin, { radius: 8, color: "#084785", fillOpacity: 0.9 })
      .bindTooltip(element.dataset.originLabel).addTo(map);
    const bounds = L.latLngBounds([origin, ...located.slice(0, 5)]);
    map.fitBounds(bounds.pad(0.3), { maxZoom: 13 });
  }
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

function viewToggle(map) {
  const toggle = document.querySelector(".view-toggle");
  if (!toggle) return;
  toggle.hidden = false;
  document.body.classList.add("view-list");
  for (const button of toggle.querySelectorAll("button")) {
    button.addEventListener("click", () => {
      const view = button.dataset.view;
      document.body.classList.toggle("view-map", view === "map");
      document.body.classList.toggle("view-list", view === "list");
      for (const other of toggle.querySelectorAll("button")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      if (view === "map") map.invalidateSize();
    });
  }
}

async function start() {
  for (const element of document.querySelectorAll(".map[data-assets]")) {
    const strings = JSON.parse(element.dataset.strings);
    try {
      const L = await ensureLeaflet(JSON.parse(element.dataset.assets));
      const map = element.dataset.single ? singleMap(L, element, strings)
        : await servicesMap(L, element, strings);
      if (!element.dataset.single) viewToggle(map);
    } catch (error) {
      element.classList.add("map-failed");
      const note = element.querySelector(".map-placeholder") || element.appendChild(document.createElement("p"));
      note.className = "map-placeholder";
      note.textContent = strings.unavailable;
    }
  }
}

start();
