/* Sortable tables: progressive enhancement for any <table data-module="sortable-table">.

   Each column header with data-sort-type (text, number or date) gets a button that sorts the
   rows by that column: ascending first, then each press reverses. The header states the order
   in aria-sort, and the element named by the table's data-status says it in words, from the
   table's data-sort-ascending / data-sort-descending messages ("{column}" is the header).
   A cell's key is its data-sort-value (such as a brand's kana reading), else the datetime of
   its <time>, else its text; text is compared in the table's language with Intl.Collator.
   With data-url-state the order is kept in the URL: ?sort=<data-sort-key>&order=ascending.
   Without JavaScript the table keeps the server's order. Cell content is only ever moved,
   never re-parsed, so no text becomes markup. */

import { readParam, writeParams } from "./url-state.js";

const ORDERS = ["ascending", "descending"];

function sortKey(cell, type) {
  let key = cell.getAttribute("data-sort-value");
  if (key === null) {
    const time = cell.querySelector("time[datetime]");
    key = time ? time.getAttribute("datetime") : cell.textContent.trim();
  }
  if (type === "number") {
    const number = parseFloat(key.replace(/[^0-9.-]/g, ""));
    return Number.isNaN(number) ? -Infinity : number;
  }
  return key;  // dates are ISO strings: their text order is their time order
}

class SortableTable {
  constructor(table) {
    this.table = table;
    this.body = table.tBodies[0];
    this.headers = Array.from(table.tHead.rows[0].cells).filter((th) => th.hasAttribute("data-sort-type"));
    const lang = table.closest("[lang]")?.lang || "ja";
    this.collator = new Intl.Collator(lang, { numeric: true });
    this.status = document.getElementById(table.getAttribute("data-status"));
    this.urlState = table.hasAttribute("data-url-state");
    for (const header of this.headers) this.addButton(header);
    this.restore();
  }

  addButton(header) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.append(...header.childNodes);
    const icon = document.createElement("span");
    icon.className = "sort-icon";
    icon.setAttribute("aria-hidden", "true");
    button.append(icon);
    header.append(button);
    button.addEventListener("click", () => {
      const order = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      this.sort(header, order);
    });
  }

  key(header) {
    return header.getAttribute("data-sort-key") || String(header.cellIndex);
  }

  restore() {
    if (!this.urlState) return;
    const header = this.headers.find((th) => this.key(th) === readParam("sort"));
    const order = readParam("order");
    if (header) this.sort(header, ORDERS.includes(order) ? order : "ascending", { quiet: true });
  }

  sort(header, order, { quiet = false } = {}) {
    const index = header.cellIndex;
    const type = header.getAttribute("data-sort-type");
    const sign = order === "ascending" ? 1 : -1;
    const compare = type === "text" ? this.collator.compare : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const rows = Array.from(this.body.rows, (row, position) => ({
      row, position, key: row.cells[index] ? sortKey(row.cells[index], type) : "",
    }));
    // Equal keys keep their present order, so sorting by one column then another nests them.
    rows.sort((a, b) => sign * compare(a.key, b.key) || a.position - b.position);
    this.body.replaceChildren(...rows.map((item) => item.row));  // cheaper for the browser than append()
    for (const th of this.headers) th.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", order);
    if (this.urlState) writeParams({ sort: this.key(header), order });
    if (!quiet && this.status) {
      const message = this.table.getAttribute(`data-sort-${order}`) || `{column}: ${order}`;
      this.status.textContent = message.replace("{column}", header.textContent.trim());
    }
  }
}

for (const table of document.querySelectorAll('table[data-module="sortable-table"]')) {
  if (table.tHead && table.tBodies.length) new SortableTable(table);
}
