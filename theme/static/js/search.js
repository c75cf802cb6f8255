// Site search over the Pagefind index of the page's language (<html lang>), which the build
// writes in shards (plugins/search/shards.py): the first listed in shards.json carries
// Pagefind's script, the others are merged into it. Loaded as a module by the search page
// only; the page's form works as a plain GET form without it. Pagefind's own UI is not used:
// it injects styles, which the site's CSP forbids.
//
// The index holds each page's words, and its Japanese text as character pairs
// (plugins/search/bigrams.py): Pagefind would segment Japanese at build time with a
// dictionary and at query time with Intl.Segmenter, and where the two disagree pages are
// missed or unrelated ones match (サイバー finding a page that only has サイドバー). So a
// query is sent as the same words and pairs, and a result is kept only when its text really
// contains every Japanese term of the query. The result count is Pagefind's until the last
// page of results has been checked.

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,}/g;
const PAGE_SIZE = 20;
const CONTEXT = 40;

function normalize(text) {
  return text.normalize("NFKC").toLowerCase();
}

// The same words as bigrams.py's pair_token: "k" and two 5-digit hex code points.
function pairTokens(text) {
  const tokens = new Set();
  for (const run of normalize(text).match(CJK_RUN) || []) {
    const chars = Array.from(run);
    for (let i = 0; i < chars.length - 1; i++) {
      tokens.add("k" + chars.slice(i, i + 2).map((c) => c.codePointAt(0).toString(16).padStart(5, "0")).join(""));
    }
  }
  return Array.from(tokens);
}

// The same as bigrams.py's index_words: other words as they are, Japanese runs as pairs.
function queryWords(text) {
  return `${normalize(text).replace(CJK_RUN, " ")} ${pairTokens(text).join(" ")}`.trim();
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

function excerptAround(text, term) {
  const out = document.createDocumentFragment();
  const lower = normalize(text);
  const at = lower.length === text.length ? lower.indexOf(term) : -1;
  if (at < 0) {
    out.append(text.slice(0, CONTEXT * 2));
    return out;
  }
  const mark = document.createElement("mark");
  mark.textContent = text.slice(at, at + term.length);
  out.append((at > CONTEXT ? "…" : "") + text.slice(Math.max(0, at - CONTEXT), at), mark,
    text.slice(at + term.length, at + term.length + CONTEXT) + "…");
  return out;
}

async function openIndex(lang) {
  const base = `/pagefind/${lang}/`;
  const response = await fetch(`${base}shards.json`);
  if (!response.ok) {
    return null;  // nothing of this language is searchable
  }
  const { primary, shards } = await response.json();
  const index = await import(`${base}${primary}/pagefind.js`);
  await index.options({ excerptLength: 30 });
  await index.init();
  for (const shard of shards.filter((n) => n !== primary)) {
    await index.mergeIndex(`${base}${shard}/`);
  }
  return index;
}

function start(form) {
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById(form.dataset.status);
  const list = document.getElementById(form.dataset.results);
  const more = document.getElementById(form.dataset.more);
  const messages = form.dataset;
  let opened = null;
  let state = null;
  let current = 0;

  function index() {
    opened = opened || openIndex(document.documentElement.lang || "ja");
    return opened;
  }

  // A result is kept only if its text holds every Japanese term of the query (the pairs of
  // a word can all occur on a page without the word itself); other words are Pagefind's
  // to match, stemming included.
  async function search(text) {
    const terms = normalize(text).split(/\s+/).filter(Boolean);
    const japanese = terms.filter((t) => CJK.test(t));
    const words = queryWords(text);
    const found = words ? await (await index())?.search(words) : null;
    return { results: found ? found.results : [], terms: japanese, excerpt: japanese[0] || terms[0] };
  }

  function item(d) {
    const entry = document.createElement("li");
    const link = document.createElement("a");
    link.href = d.meta.href;
    link.textContent = d.meta.title || d.meta.href;
    const heading = document.createElement("h2");
    heading.append(link);
    const excerpt = document.createElement("p");
    excerpt.append(excerptAround(d.meta.text, state.excerpt));
    entry.append(heading, excerpt);
    return entry;
  }

  // Show the next page of results, checking each one as its data arrives.
  async function showMore(run) {
    let added = 0;
    while (added < PAGE_SIZE && state.next < state.results.length) {
      const batch = state.results.slice(state.next, state.next + PAGE_SIZE - added);
      state.next += batch.length;
      const data = await Promise.all(batch.map((r) => r.data()));
      if (run !== current) {
        return;
      }
      for (const d of data) {
        const haystack = normalize(`${d.meta.title || ""} ${d.meta.text}`);
        if (state.terms.every((term) => haystack.includes(term))) {
          list.append(item(d));
          added += 1;
        } else {
          state.rejected += 1;
        }
      }
    }
    more.hidden = state.next >= state.results.length;
    const count = state.results.length - state.rejected;
    status.textContent = count
      ? format(messages.found, { query: state.query, count })
      : format(messages.none, { query: state.query });
  }

  async function run(query) {
    const id = ++current;
    list.replaceChildren();
    more.hidden = true;
    const text = query.normalize("NFKC").trim();
    if (!text) {
      status.textContent = "";
      return;
    }
    list.setAttribute("aria-busy", "true");
    status.textContent = messages.searching;
    const found = await search(text);
    if (id !== current) {
      return;  // a newer query has started
    }
    state = Object.assign(found, { query: text, next: 0, rejected: 0 });
    await showMore(id);
    list.setAttribute("aria-busy", "false");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
  more.addEventListener("click", () => showMore(current));

  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
}

for (const form of document.querySelectorAll("[data-module=site-search]")) {
  start(form);
}
