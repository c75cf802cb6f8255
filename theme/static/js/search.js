// Site search over the Pagefind indexes of the page's language (<html lang>).
// Loaded as a module by the search page only; the page's form works as a plain GET form
// without it. Pagefind's own UI is not used: it injects styles, which the site's CSP forbids.
//
// Japanese queries: Pagefind segments pages with Lindera but queries with Intl.Segmenter;
// where the two disagree, pages are missed or unrelated ones match (サイバー finding a page
// that only has サイドバー). So a Japanese query also searches the character-pair bundle
// (plugins/search/bigrams.py), and a result is kept only when its text really contains
// every Japanese term of the query.

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,}/g;
const BATCH = 20;
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

// Results whose text holds every term; `text(data)` gives a result's searchable text.
async function verified(results, terms, text) {
  const kept = [];
  for (let i = 0; i < results.length; i += BATCH) {
    const data = await Promise.all(results.slice(i, i + BATCH).map((r) => r.data()));
    for (const d of data) {
      const haystack = normalize(text(d));
      if (terms.every((term) => haystack.includes(term))) {
        kept.push(d);
      }
    }
  }
  return kept;
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
  let bundles = null;
  let shown = [];
  let current = 0;

  async function search(text) {
    bundles = bundles || await Promise.all([load("/pagefind/pagefind.js"), load("/pagefind-bigram/pagefind.js")]);
    const [words, pairs] = bundles;
    const terms = normalize(text).split(/\s+/).filter((t) => CJK.test(t));
    const found = await words.search(text);
    const results = found ? found.results : [];
    if (terms.length === 0) {
      return results.map((r) => ({ result: r }));
    }
    const tokens = pairTokens(text);
    const [byWord, byPair] = await Promise.all([
      verified(results, terms, (d) => `${d.meta.title || ""} ${d.content}`),
      tokens.length
        ? pairs.search(tokens.join(" ")).then((s) => verified(s ? s.results : [], terms, (d) => d.meta.text))
        : [],
    ]);
    const urls = new Set(byWord.map((d) => d.url));
    return byWord.map((d) => ({ data: d }))
      .concat(byPair.filter((d) => !urls.has(d.url)).map((d) => ({ data: d, term: terms[0] })));
  }

  async function showMore(run) {
    const next = shown.slice(list.children.length, list.children.length + PAGE_SIZE);
    const data = await Promise.all(next.map((r) => r.data || r.result.data()));
    if (run !== current) {
      return;
    }
    next.forEach((entry, i) => {
      const d = data[i];
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = d.url;
      link.textContent = d.meta.title || d.url;
      const heading = document.createElement("h2");
      heading.append(link);
      const excerpt = document.createElement("p");
      excerpt.append(entry.term ? excerptAround(d.meta.text, entry.term) : excerptFromPagefind(d.excerpt));
      item.append(heading, excerpt);
      list.append(item);
    });
    more.hidden = list.children.length >= shown.length;
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
    const results = await search(text);
    if (id !== current) {
      return;  // a newer query has started
    }
    shown = results;
    await showMore(id);
    status.textContent = results.length
      ? format(messages.found, { query: text, count: results.length })
      : format(messages.none, { query: text });
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
