/* Table filters: progressive enhancement for <form data-module="table-filter"
   aria-controls="<table id>">, which stays hidden without JavaScript (the full table serves).

   Every named control filters the table's body rows by the row's data-<field> attribute,
   where <field> is the control's data-filter-field or else its name:
   - a select, or a checked checkbox, keeps rows whose attribute holds its value as one of its
     space-separated words (data-area="kanto 13" matches "kanto" and "13");
   - a number input with data-filter-range="min" or "max" keeps rows whose number is at least,
     or at most, its value.
   Empty controls do not filter. Values live in the URL query under the controls' names, so a
   filtered view can be shared; the element named by data-status announces the count, from the
   form's data-count-message ("{count}" and "{total}"). */

import { readParam, writeParams } from "./url-state.js";

const ANNOUNCE_DELAY_MS = 400;  // let typing settle before a screen reader speaks the count

class TableFilter {
  constructor(form, table) {
    this.form = form;
    this.rows = Array.from(table.tBodies[0].rows);
    this.controls = Array.from(form.elements).filter((control) => control.name);
    this.status = document.getElementById(form.getAttribute("data-status"));
    this.lang = form.closest("[lang]")?.lang || "ja";
    for (const control of this.controls) {
      const value = readParam(control.name);
      if (value === null) continue;
      if (control.type === "checkbox") control.checked = value === control.value;
      else control.value = value;  // a value the control cannot take simply leaves it empty
    }
    form.addEventListener("input", () => this.apply());
    form.addEventListener("submit", (event) => { event.preventDefault(); this.apply(); });
    form.addEventListener("reset", () => setTimeout(() => this.apply()));  // after the reset
    form.hidden = false;
    this.apply({ initial: true });
  }

  test(control) {
    const attribute = `data-${control.getAttribute("data-filter-field") || control.name}`;
    if (control.type === "checkbox" && !control.checked) return null;
    const value = control.value.trim();
    if (value === "") return null;
    const range = control.getAttribute("data-filter-range");
    if (range) {
      const limit = Number(value);
      if (!Number.isFinite(limit)) return null;
      return (row) => {
        const number = Number(row.getAttribute(attribute));
        return range === "min" ? number >= limit : number <= limit;
      };
    }
    return (row) => (row.getAttribute(attribute) || "").split(" ").includes(value);
  }

  apply({ initial = false } = {}) {
    const tests = this.controls.map((control) => this.test(control)).filter(Boolean);
    let shown = 0;
    for (const row of this.rows) {
      const keep = tests.every((test) => test(row));
      row.hidden = !keep;
      if (keep) shown += 1;
    }
    writeParams(Object.fromEntries(this.controls.map((control) => [
      control.name, control.type === "checkbox" && !control.checked ? "" : control.value.trim()])));
    // On arrival only a view restored from the URL has anything to say, and says it at once.
    if (!initial || tests.length) this.announce(shown, initial ? 0 : ANNOUNCE_DELAY_MS);
  }

  announce(shown, delay) {
    if (!this.status) return;
    const format = (n) => n.toLocaleString(this.lang);
    const message = (this.form.getAttribute("data-count-message") || "{count} / {total}")
      .replace("{count}", format(shown)).replace("{total}", format(this.rows.length));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.status.textContent = message; }, delay);
  }
}

for (const form of document.querySelectorAll('form[data-module="table-filter"]')) {
  const table = document.getElementById(form.getAttribute("aria-controls"));
  if (table && table.tBodies.length) new TableFilter(form, table);
}
