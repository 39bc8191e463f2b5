// Leaflet from the CDN (with Subresource Integrity) or, when that failed, from this server;
// and the base map every page's map starts from.

export const BELGIUM = [[49.49, 2.54], [51.51, 6.41]];

// A script, run as soon as it arrives (`async` off keeps the order of several).
function loadScript(url, integrity) {
  return new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = false;
    if (integrity) {
      script.integrity = integrity;
      script.crossOrigin = "anonymous";
    }
    script.onload = () => resolve(true);
    script.onerror = () => resolve(false);
    document.head.append(script);
  });
}

function loadStyle(url, integrity) {
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    if (integrity) {
      link.integrity = integrity;
      link.crossOrigin = "anonymous";
    }
    link.onload = () => resolve(true);
    link.onerror = () => resolve(false); // the map is still usable without its styles
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

// Already asked for by the page itself (a <link> or <script> of the CDN's address)?
function inPage(url) {
  return [...document.querySelectorAll("link[href], script[src]")]
    .some((element) => (element.href || element.src) === url);
}

// A stylesheet from the CDN, or this server's copy when the CDN's did not arrive.
async function style(css) {
  if (css.url !== css.fallback && !inPage(css.url) && await loadStyle(css.url, css.integrity)) {
    return;
  }
  await loadStyle(css.fallback);
}

// Leaflet is loaded by the first map to be drawn, not by the page: a page whose map is never
// seen (a phone showing the list) loads none of it. The CDN copies carry Subresource
// Integrity; when they did not arrive (CDN unreachable, blocked, or tampered with) the same
// versions are loaded from this server. Pages that list the CDN's files themselves (the staff
// forms) have tried them already: only what is missing is loaded here.
let loading = null;

export function ensureLeaflet(assets) {
  loading = loading || (async () => {
    const styles = leafletStyled() ? [] : assets.css.map(style);
    // Leaflet alone: the clusters are drawn by static/js/map.js; the plugin's stylesheets
    // still give them their look.
    const [leaflet] = assets.js;
    if (!window.L && leaflet.url !== leaflet.fallback && !inPage(leaflet.url)) {
      await loadScript(leaflet.url, leaflet.integrity);
    }
    await Promise.all([...styles, window.L ? null : loadScript(leaflet.fallback)]);
    if (!window.L) throw new Error("Leaflet could not be loaded");
    return window.L;
  })();
  return loading;
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
