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
// query is sent as the same words and pairs, and a result is kept only when its title or text
// really contains every term of the query, Japanese or not (NFKC, case-insensitive): Pagefind
// matches Latin words loosely (COP31 finding pages with 31, Shimanto finding Shimane); only its
// stemming of English words is kept (stem()).
//
// Order: the main pages (methodologies, offers, FAQs, rules, news, meetings...) before the long
// tail of registered projects, hundreds of pages named after their methodology's activity
// (bigrams.page_group: a Pagefind filter on the long tail's pages only, so a search of every
// page and one of the long tail, the main pages being the rest); in each group the pages
// whose title holds the query first (Pagefind tells which meta fields matched: the title's
// words are one, bigrams.shadow_page), then the others, each in Pagefind's order. Pagefind's
// scores alone cannot make that order: they are multiplied by how rare the query is in each
// shard, which varies from shard to shard more than a title or a heading weighs.
//
// Results are checked ahead of what is shown: "more" is offered only once a checked result is
// waiting behind the page shown, so that pressing it always adds results; and when few
// unchecked ones are left they are checked too, so that the count is exact. Until every result
// has been checked the count is only an upper bound, and says so (data-found-upto). Each page
// of results changes the status (role=status) so that it is announced, and "more" moves the
// focus to the first result it added before it hides itself (WCAG 2.4.3).

const CJK_RUN = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,}/g;
const PAGE_SIZE = 20;
const CONTEXT = 40;
const LONG_TAIL = { group: "long-tail" };
const TITLE_WORDS = "title_words";
// Pagefind (1.5) searches the meta fields too, adding to a page's score by the field's weight
// (1 unless given): of the shadow page's fields, only the title's words should count. Title
// and text are for showing (their words are the page's own already), the rest are addresses
// and offsets.
const RANKING = { metaWeights: { [TITLE_WORDS]: 5, title: 0, text: 0, href: 0, title_langs: 0, text_langs: 0 } };
// Quotation marks around a term ("forest management", 「森林」): not part of what a page must hold.
const QUOTES = /^["'\u2018\u2019\u201c\u201d\u300c\u300e]+|["'\u2018\u2019\u201c\u201d\u300d\u300f]+$/g;

// An English word's stem, as Pagefind's stemming finds it ("minutes" finds "minute", "forests"
// "forest"); anything else (COP31, Shimanto, FO-001, Japanese) must be found as typed.
function stem(term) {
  const found = /^([a-z]{3,}?)(?:ies|es|s|ing|ed)$/.exec(term);
  return found ? found[1] : term;
}

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

// The runs of a title or text in another language than the page's, as bigrams.seen_text
// writes them ("ja:6-19 ja:40-43", offsets in UTF-16 code units as JavaScript counts).
function languageRuns(runs) {
  return Array.from((runs || "").matchAll(/(\S+):(\d+)-(\d+)/g), ([, lang, start, end]) => ({ lang, start: +start, end: +end }));
}

// text[from, to) with its runs in another language marked as such (WCAG 3.1.2): an English
// result may show an untranslated page's Japanese title and text.
function inLanguages(text, runs, from, to) {
  const out = document.createDocumentFragment();
  to = Math.min(to, text.length);
  let at = from;
  for (const run of runs) {
    const start = Math.max(run.start, at);
    const end = Math.min(run.end, to);
    if (start >= end) {
      continue;
    }
    out.append(text.slice(at, start));
    const span = document.createElement("span");
    span.lang = run.lang;
    span.textContent = text.slice(start, end);
    out.append(span);
    at = end;
  }
  out.append(text.slice(at, Math.max(at, to)));
  return out;
}

function excerptAround(text, runs, term) {
  const out = document.createDocumentFragment();
  const lower = normalize(text);
  const at = lower.length === text.length ? lower.indexOf(term) : -1;
  if (at < 0) {
    out.append(inLanguages(text, runs, 0, CONTEXT * 2));
    return out;
  }
  const end = at + term.length;
  const mark = document.createElement("mark");
  mark.append(inLanguages(text, runs, at, end));
  out.append(at > CONTEXT ? "…" : "", inLanguages(text, runs, Math.max(0, at - CONTEXT), at), mark,
    inLanguages(text, runs, end, end + CONTEXT), "…");
  return out;
}

// The pages of a group whose title holds (words of) the query first, then the others.
function titlesFirst(results) {
  const titled = (r) => (r.matchedMetaFields || []).includes(TITLE_WORDS);
  return [...results.filter(titled), ...results.filter((r) => !titled(r))];
}

async function openIndex(lang) {
  const base = `/pagefind/${lang}/`;
  const response = await fetch(`${base}shards.json`);
  if (!response.ok) {
    return null;  // nothing of this language is searchable
  }
  const { primary, shards } = await response.json();
  const index = await import(`${base}${primary}/pagefind.js`);
  await index.options({ excerptLength: 30, ranking: RANKING });
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
  // The count's message in the plural forms of the site's languages, chosen by the page's
  // language's rules: "one" (English "1 result"; a message of its own in the catalog) and
  // "other" (all Japanese needs).
  const plural = new Intl.PluralRules(document.documentElement.lang || "ja");
  let opened = null;
  let state = null;
  let current = 0;

  function index() {
    opened = opened || openIndex(document.documentElement.lang || "ja");
    return opened;
  }

  // Pagefind finds a page when the query's words and pairs occur on it; a result is kept only
  // if its title or text holds every term of the query as it was typed (the pairs of a word
  // can all occur on a page without the word itself, and Pagefind matches other words
  // loosely: by stem, or by a part of a word such as its digits).
  async function search(text) {
    const terms = normalize(text).split(/\s+/).map((t) => t.replace(QUOTES, "")).filter(Boolean);
    const words = queryWords(text);
    const pagefind = words ? await index() : null;
    const [every, tail] = pagefind
      ? await Promise.all([pagefind.search(words), pagefind.search(words, { filters: LONG_TAIL })])
      : [{ results: [] }, { results: [] }];
    const inTail = new Set(tail.results.map((result) => result.id));
    const main = every.results.filter((result) => !inTail.has(result.id));
    return { results: [...titlesFirst(main), ...titlesFirst(tail.results)], terms, excerpt: terms[0] };
  }

  function holdsEveryTerm(d) {
    const haystack = normalize(`${d.meta.title || ""} ${d.meta.text || ""}`);
    return state.terms.every((term) => haystack.includes(term) || haystack.includes(stem(term)));
  }

  function item(d) {
    const entry = document.createElement("li");
    const link = document.createElement("a");
    link.href = d.meta.href;
    const title = d.meta.title || d.meta.href;
    link.append(inLanguages(title, languageRuns(d.meta.title_langs), 0, title.length));
    const heading = document.createElement("h2");
    heading.append(link);
    const excerpt = document.createElement("p");
    excerpt.append(excerptAround(d.meta.text || "", languageRuns(d.meta.text_langs), state.excerpt));
    entry.append(heading, excerpt);
    return entry;
  }

  function unchecked() {
    return state.results.length - state.next;
  }

  // Check results, in Pagefind's order, until one more than a page is waiting (so that "more"
  // is only offered when it will add something) and, when no more than a page of unchecked
  // results is left, until all are checked (so that the count is exact). False if a newer
  // query started meanwhile.
  async function check(run) {
    while (unchecked() > 0 && (state.kept.length <= PAGE_SIZE || unchecked() <= PAGE_SIZE)) {
      const size = state.kept.length <= PAGE_SIZE ? PAGE_SIZE + 1 - state.kept.length : unchecked();
      const batch = state.results.slice(state.next, state.next + size);
      state.next += batch.length;
      const data = await Promise.all(batch.map((r) => r.data()));
      if (run !== current) {
        return false;
      }
      for (const d of data) {
        if (holdsEveryTerm(d)) {
          state.kept.push(d);
        } else {
          state.rejected += 1;
        }
      }
    }
    return run === current;
  }

  // The count, exact once every result is checked and an upper bound until then, and how
  // many are shown: a new text for every page of results, so that each is announced.
  function describe() {
    const shown = state.shown;
    if (unchecked() > 0) {
      const total = state.results.length - state.rejected;
      return format(messages.foundUpto, { query: state.query, total, count: shown });
    }
    const total = shown + state.kept.length;
    if (!total) {
      return format(messages.none, { query: state.query });
    }
    const found = format(plural.select(total) === "one" ? messages.foundOne : messages.foundOther,
      { query: state.query, count: total });
    return shown < total ? `${found} ${format(messages.showing, { total, count: shown })}` : found;
  }

  // Show the next page of results; `moveFocus` when the reader asked for it with "more".
  async function showMore(run, moveFocus) {
    list.setAttribute("aria-busy", "true");
    if (!(await check(run))) {
      return;
    }
    const page = state.kept.splice(0, PAGE_SIZE).map(item);
    list.append(...page);
    state.shown += page.length;
    if (moveFocus) {
      // before "more" may hide itself: a hidden button's focus would fall to the page's start
      const target = page.length ? page[0] : list.lastElementChild;
      (target?.querySelector("a") || input).focus();
    }
    more.hidden = state.kept.length === 0;
    status.textContent = describe();
    list.setAttribute("aria-busy", "false");
  }

  async function run(query) {
    const id = ++current;
    state = null;
    list.replaceChildren();
    more.hidden = true;
    const text = query.normalize("NFKC").trim();
    if (!text) {
      status.textContent = "";
      list.setAttribute("aria-busy", "false");
      return;
    }
    list.setAttribute("aria-busy", "true");
    status.textContent = messages.searching;
    const found = await search(text);
    if (id !== current) {
      return;  // a newer query has started
    }
    state = Object.assign(found, { query: text, next: 0, rejected: 0, kept: [], shown: 0, loading: false });
    await showMore(id, false);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
  more.addEventListener("click", async () => {
    if (!state || state.loading) {
      return;  // a page of results is being added already
    }
    const shownFor = state;
    shownFor.loading = true;
    try {
      await showMore(current, true);
    } finally {
      shownFor.loading = false;
    }
  });

  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
}

for (const form of document.querySelectorAll("[data-module=site-search]")) {
  start(form);
}
