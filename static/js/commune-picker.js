// Suggestions for the commune fields of the staff forms: a native <datalist> filled from the
// public commune search as one types. Without this module the typed text is understood by the
// server (name, village or postal code), so the fields work without JavaScript too.

const lang = document.documentElement.lang || "fr";

function attach(input) {
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);
  let timer = null;
  let controller = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2 || text.length > 100) return;
    timer = setTimeout(async () => {
      controller?.abort();
      controller = new AbortController();
      const url = new URL(input.dataset.communePicker, window.location.href);
      url.search = new URLSearchParams({ q: text, lang, limit: "8" }).toString();
      try {
        const response = await fetch(url, { signal: controller.signal });
        if (!response.ok) return;
        const { results } = await response.json();
        list.replaceChildren(...results.map((commune) => {
          const option = document.createElement("option");
          option.value = commune.name;
          option.label = commune.postal_codes.slice(0, 3).join(", ");
          return option;
        }));
      } catch (error) {
        if (error.name !== "AbortError") list.replaceChildren();
      }
    }, 150);
  });
}

document.querySelectorAll("input[data-commune-picker]").forEach(attach);
