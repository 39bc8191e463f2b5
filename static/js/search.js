// The search box as an accessible combobox (WAI-ARIA Authoring Practices, list autocomplete),
// and the "near me" button. Without this module the form still submits to /search.

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const listbox = document.getElementById("q-listbox");
const status = document.getElementById("q-status");
const strings = JSON.parse(form.dataset.strings);
let options = [];
let active = -1;
let pending = null;
let timer = null;

// The filters fold away on phones so that results come first; wide screens have room for them.
const filtersBox = document.getElementById("filters");
if (filtersBox && window.matchMedia("(min-width: 769px)").matches) filtersBox.open = true;

// After a search, a screen reader starts at what was found: the results heading takes focus
// (the heading has tabindex=-1; Tab then goes on to the first result). Not when the visitor is
// asked something first (which commune they meant), nor on back and forward.
const resultsTitle = document.getElementById("results-title");
const navigation = performance.getEntriesByType("navigation")[0];
if (resultsTitle && !document.querySelector(".choices") && navigation?.type !== "back_forward") {
  resultsTitle.focus({ preventScroll: window.matchMedia("(min-width: 769px)").matches });
}

input.setAttribute("role", "combobox");
input.setAttribute("aria-autocomplete", "list");
input.setAttribute("aria-controls", listbox.id);
input.setAttribute("aria-expanded", "false");

function filters() {
  const params = new URLSearchParams();
  for (const name of ["type", "language"]) {
    const value = form.elements[name]?.value;
    if (value) params.set(name, value);
  }
  return params;
}

function go(params) {
  for (const [key, value] of filters()) params.set(key, value);
  window.location.assign(`${form.action}?${params}`);
}

function close() {
  listbox.hidden = true;
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
  active = -1;
}

function announce(count) {
  if (count === 0) status.textContent = strings.none;
  else if (count === 1) status.textContent = strings.one;
  else status.textContent = strings.many.replace("{count}", String(count));
}

function render(results) {
  options = results;
  listbox.replaceChildren();
  results.forEach((result, index) => {
    const option = document.createElement("li");
    option.id = `q-option-${index}`;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    const name = document.createElement("span");
    name.textContent = result.name;
    option.append(name);
    const extra = document.createElement("span");
    extra.className = "muted";
    const matched = result.matched !== result.name ? ` — ${result.matched}` : "";
    extra.textContent = `${matched} (${result.postal_codes.slice(0, 3).join(", ")})`;
    option.append(" ", extra);
    option.addEventListener("mousedown", (event) => event.preventDefault());
    option.addEventListener("click", () => choose(index));
    listbox.append(option);
  });
  listbox.hidden = results.length === 0;
  input.setAttribute("aria-expanded", String(results.length > 0));
  announce(results.length);
}

function highlight(index) {
  const items = listbox.querySelectorAll("[role=option]");
  items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
  active = index;
  if (index >= 0) {
    input.setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

function choose(index) {
  const result = options[index];
  input.value = result.name;
  close();
  const params = new URLSearchParams({ commune: result.refnis });
  // A village or former commune chosen: the results confirm whose part it is.
  if (["locality", "former_commune"].includes(result.match_kind)) params.set("place", result.matched);
  go(params);
}

async function suggest() {
  const text = input.value.trim();
  if (text.length < 2) {
    close();
    status.textContent = "";
    return;
  }
  pending?.abort();
  pending = new AbortController();
  const url = `${form.dataset.communesUrl}?${new URLSearchParams({ q: text, lang: form.dataset.lang, limit: "8" })}`;
  try {
    const response = await fetch(url, { signal: pending.signal });
    if (!response.ok) return close();
    render((await response.json()).results);
  } catch (error) {
    if (error.name !== "AbortError") close();
  }
}

input.addEventListener("input", () => {
  // A new text replaces a commune or position chosen earlier.
  for (const name of ["commune", "near"]) form.querySelector(`input[type=hidden][name=${name}]`)?.remove();
  clearTimeout(timer);
  timer = setTimeout(suggest, 150);
});

input.addEventListener("keydown", (event) => {
  const open = !listbox.hidden && options.length > 0;
  if (event.key === "ArrowDown") {
    event.preventDefault();
    if (!open) return suggest();
    highlight((active + 1) % options.length);
  } else if (event.key === "ArrowUp") {
    event.preventDefault();
    if (open) highlight(active <= 0 ? options.length - 1 : active - 1);
  } else if (event.key === "Enter" && open && active >= 0) {
    event.preventDefault();
    choose(active);
  } else if (event.key === "Escape") {
    if (open) close();
    else input.value = "";
  } else if (event.key === "Tab") {
    close();
  }
});

input.addEventListener("blur", () => setTimeout(close, 100));

// Back and forward: the browser would put back the last values chosen, not those of the
// results this address shows. The form shows again what the page was served with.
window.addEventListener("pageshow", () => {
  form.reset();
  close();
});

// "Near me": the browser's geolocation; a refusal or an error says so, and search still works.
const nearMe = document.getElementById("near-me");
const nearStatus = document.getElementById("near-me-status");
if (nearMe && "geolocation" in navigator) {
  nearMe.hidden = false;
  nearMe.addEventListener("click", () => {
    nearStatus.textContent = strings.locating;
    nearStatus.className = "";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude } = position.coords;
        // Rounded to about a hundred metres: enough to rank services, not to find a door.
        go(new URLSearchParams({ near: `${latitude.toFixed(3)},${longitude.toFixed(3)}` }));
      },
      (error) => {
        nearStatus.textContent = error.code === error.PERMISSION_DENIED ? strings.denied : strings.failed;
        nearStatus.className = "error";
        input.focus();
      },
      { timeout: 10000, maximumAge: 60000 },
    );
  });
}
