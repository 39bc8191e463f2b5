// Leaflet from the CDN (with Subresource Integrity) or, when that failed, from this server;
// and the base map every page's map starts from.

export const BELGIUM = [[49.49, 2.54], [51.51, 6.41]];

// Scripts added by script run as soon as they arrive, unless `async` is off: then they still
// download in parallel but run in the order they were added (the plugin after Leaflet).
function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = false;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

function loadStyle(url) {
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    link.onload = resolve;
    link.onerror = resolve; // the map is still usable without its styles; the list always is
    document.head.append(link);
  });
}

// Leaflet's stylesheet is there when its panes are positioned absolutely.
function leafletStyled() {
  const probe = document.createElement("div");
  probe.className = "leaflet-pane";
  probe.hidden = true;
  document.body.append(probe);
  const styled = getComputedStyle(probe).position === "absolute";
  probe.remove();
  return styled;
}

// The CDN copies carry Subresource Integrity; when they did not arrive (CDN unreachable,
// blocked, or tampered with) the same versions are loaded from this server.
export async function ensureLeaflet(assets) {
  const cdnFailed = !window.L || !leafletStyled();
  const styles = cdnFailed
    ? Promise.all(assets.css.filter((css) => css.url !== css.fallback)
      .map((css) => loadStyle(css.fallback)))
    : null;
  const missing = [];
  if (!window.L) missing.push(assets.js[0].fallback);
  if (!window.L?.markerClusterGroup) missing.push(assets.js[1].fallback);
  await Promise.all([styles, ...missing.map(loadScript)]);
  return window.L;
}

// A map in `element` with the tiles, zoom buttons and attribution its data- attributes name;
// `options` are passed to Leaflet (e.g. preferCanvas for many points).
// When the tile server cannot be reached (offline, blocked, down), the map says so in one line
// and draws this server's own outline of Belgium, so that it never goes blank.
function withoutTiles(L, map, element, strings) {
  let shown = false;
  return () => {
    if (shown || !strings.noTiles) return;
    shown = true;
    const note = L.control({ position: "topright" });
    note.onAdd = () => {
      const text = L.DomUtil.create("p", "map-notice");
      text.setAttribute("role", "status");
      text.textContent = strings.noTiles;
      return text;
    };
    note.addTo(map);
    element.classList.add("map-without-tiles");
    if (!element.dataset.backgroundUrl) return;
    fetch(element.dataset.backgroundUrl)
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((outline) => {
        L.geoJSON(outline, {
          interactive: false,
          attribution: strings.backgroundAttribution,
          style: { color: "#6b7a88", weight: 1, fillColor: "#dfe7ee", fillOpacity: 1 },
        }).addTo(map).bringToBack();
      })
      .catch(() => {}); // the note stays; the list holds every service
  };
}

export function baseMap(L, element, strings, options = {}) {
  const map = L.map(element, { zoomControl: false, attributionControl: false, ...options });
  L.control.zoom({ zoomInTitle: strings.zoomIn, zoomOutTitle: strings.zoomOut }).addTo(map);
  L.control.attribution({ prefix: strings.prefix }).addTo(map);
  L.tileLayer(element.dataset.tileUrl, {
    attribution: element.dataset.tileAttribution,
    maxZoom: 18,
  }).on("tileerror", withoutTiles(L, map, element, strings)).addTo(map);
  element.querySelector(".map-placeholder")?.remove();
  return map;
}
