// Filters for a list or table: a form with data-module="list-filter" and selects named after
// the rows' data-filter-<name> attributes (space-separated codes; "*" matches any choice).
// The form ships hidden and the full list shows without JavaScript; the choices are kept
// in the URL (?prefecture=高知県) so that a filtered view can be linked to.

function camel(name) {
  return "filter" + name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
}

function start(form) {
  const target = document.getElementById(form.dataset.target);
  const rows = Array.from(target.querySelectorAll("[data-filter]"));
  const selects = Array.from(form.querySelectorAll("select"));
  const status = document.getElementById(form.dataset.status);

  function apply() {
    const chosen = selects.filter((s) => s.value).map((s) => [camel(s.name), s.value]);
    let count = 0;
    for (const row of rows) {
      const match = chosen.every(([key, value]) => {
        const codes = (row.dataset[key] || "").split(" ");
        return codes.includes(value) || codes.includes("*");
      });
      row.hidden = !match;
      count += match ? 1 : 0;
    }
    status.textContent = form.dataset.count.replace("{count}", count).replace("{total}", rows.length);
    const url = new URL(location.href);
    for (const s of selects) {
      if (s.value) {
        url.searchParams.set(s.name, s.value);
      } else {
        url.searchParams.delete(s.name);
      }
    }
    history.replaceState(null, "", url);
  }

  const params = new URLSearchParams(location.search);
  for (const s of selects) {
    const wanted = params.get(s.name);
    if (wanted && Array.from(s.options).some((o) => o.value === wanted)) {
      s.value = wanted;
    }
    s.addEventListener("change", apply);
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(apply));
  form.hidden = false;
  if (params.toString()) {
    apply();
  }
}

for (const form of document.querySelectorAll("[data-module=list-filter]")) {
  start(form);
}
