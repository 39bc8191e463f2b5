// Language tabs of the service form (WAI-ARIA tabs pattern). Without this module every
// language's fields are shown one after the other, each under its own heading.

for (const box of document.querySelectorAll("[data-tabs]")) {
  const panels = [...box.querySelectorAll("[data-tab-panel]")];
  const list = document.createElement("div");
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", box.dataset.tabs);
  list.className = "tablist";
  const tabs = panels.map((panel, index) => {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.id = `${panel.id}-tab`;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    tab.innerHTML = panel.querySelector("[data-tab-label]").innerHTML;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    panel.querySelector("[data-tab-label]").hidden = true;
    tab.addEventListener("click", () => select(index, false));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) {
        event.preventDefault();
        select((index + step + panels.length) % panels.length, true);
      }
    });
    list.append(tab);
    return tab;
  });
  function select(chosen, focus) {
    tabs.forEach((tab, index) => {
      const on = index === chosen;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      panels[index].hidden = !on;
      if (on && focus) tab.focus();
    });
  }
  box.prepend(list);
  // Open the first language with an error, else the first one.
  const withError = panels.findIndex((panel) => panel.querySelector(".has-error"));
  select(Math.max(withError, 0), false);
  // A link of the error summary to a field in a hidden panel opens that panel first.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const target = link && document.getElementById(link.getAttribute("href").slice(1));
    const index = target ? panels.findIndex((panel) => panel.contains(target)) : -1;
    if (index >= 0) select(index, false);
  });
}
