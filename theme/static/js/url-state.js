/* A page's view state (sort order, filters) in its URL query, so that a view can be shared.
   replaceState, not pushState: changing a filter should not fill the Back button's history. */

export function readParam(name) {
  return new URLSearchParams(window.location.search).get(name);
}

export function writeParams(values) {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === "") url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
}
