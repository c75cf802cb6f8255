// Site search over the Pagefind indexes of the page's language (<html lang>).
// Loaded as a module by the search page only; the page's form works as a plain GET form
// without it. Pagefind's own UI is not used: it injects styles, which the site's CSP forbids.
//
// Japanese queries: Pagefind segments pages with Lindera but queries with Intl.Segmenter;
// where the two disagree, pages are missed or unrelated ones match (サイバー finding a page
// that only has サイドバー). So a Japanese query searches the character-pair bundle
// (plugins/search/bigrams.py) instead, and a result is kept only when its text really
// contains every term of the query. The result count is Pagefind's until the last page of
// results has been checked.

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

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

// Pagefind marks matches with <mark>; keep those and plain text, nothing else.
function excerptFromPagefind(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
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

async function load(path) {
  const bundle = await import(path);
  await bundle.options({ excerptLength: 30 });
  await bundle.init();
  return bundle;
}

function start(form) {
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById(form.dataset.status);
  const list = document.getElementById(form.dataset.results);
  const more = document.getElementById(form.dataset.more);
  const messages = form.dataset;
  const bundles = {};
  let state = null;
  let current = 0;

  function bundle(name) {
    bundles[name] = bundles[name] || load(`/${name}/pagefind.js`);
    return bundles[name];
  }

  // Which bundle answers, and which of its results count. A Japanese word of two or more
  // characters goes to the pair bundle; a result is kept only if its text holds every term
  // (the pairs of a word can all occur on a page without the word itself).
  async function search(text) {
    const terms = normalize(text).split(/\s+/).filter(Boolean);
    const japanese = terms.filter((t) => CJK.test(t));
    const tokens = pairTokens(text);
    if (tokens.length) {
      const found = await (await bundle("pagefind-bigram")).search(tokens.join(" "));
      return { results: found ? found.results : [], text: (d) => d.meta.text, terms, excerpt: japanese[0] };
    }
    const found = await (await bundle("pagefind")).search(text);
    return { results: found ? found.results : [], text: (d) => `${d.meta.title || ""} ${d.content}`,
             terms: japanese, excerpt: null };
  }

  function item(d) {
    const entry = document.createElement("li");
    const link = document.createElement("a");
    link.href = d.url;
    link.textContent = d.meta.title || d.url;
    const heading = document.createElement("h2");
    heading.append(link);
    const excerpt = document.createElement("p");
    excerpt.append(state.excerpt ? excerptAround(d.meta.text, state.excerpt) : excerptFromPagefind(d.excerpt));
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
        const haystack = normalize(state.text(d));
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
