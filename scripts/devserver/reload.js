// Preview only (added by scripts/serve.py, never part of the built site): reload the page after
// a rebuild that changed the site, and show the build's problems, or its warnings, in a panel.
//
// One tab of the site listens to the server and relays each event to the others: a browser
// keeps six connections to a host, and a stream per tab left a seventh page waiting for good.
// A page reloads for a build that ended after it was asked for: one that connects late (a
// slow page, a new leader tab) still learns that it is out of date.
//
// A reload keeps the editor's place (WCAG 2.4.3): the focused control and the scroll position
// are kept in this tab's sessionStorage (each tab has its own) just before the reload, and put
// back once the reloaded page has loaded. None of it touches the relay: it is set up first, and
// the place is only written just before a reload and read once the relay is set up, in this tab.
(function () {
  "use strict";
  var loaded = performance.timeOrigin || Date.now();
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("jcredit-preview") : null;
  var PLACE = "jcredit-preview-place";

  function panel(kind, heading, text) {
    var box = document.getElementById("preview-problems");
    if (!text) {
      if (box) { box.remove(); }
      return;
    }
    if (!box) {
      box = document.createElement("section");
      box.id = "preview-problems";
      box.lang = "ja";  // the messages say it in Japanese first, then in English
      box.className = "notice notice-warning";
      // over the page wherever it is scrolled to (CSSOM: allowed by the site's style-src)
      box.style.cssText = "";
      box.style.position = "fixed";
      box.style.top = "0";
      box.style.left = "0";
      box.style.right = "0";
      box.style.zIndex = "1000";
      box.style.maxHeight = "40vh";
      box.style.overflow = "auto";
      box.style.margin = "0";
      document.body.appendChild(box);
    }
    box.setAttribute("role", kind === "failed" ? "alert" : "status");
    box.textContent = "";
    var title = document.createElement("h2");
    title.textContent = heading;
    var list = document.createElement("pre");
    list.style.whiteSpace = "pre-wrap";  // long messages wrap rather than run off the screen
    list.style.overflowWrap = "anywhere";
    list.textContent = text;
    box.appendChild(title);
    box.appendChild(list);
  }

  function handle(event) {
    if (event.type === "failed") {
      panel("failed", "ビルドに失敗しました / The build failed", event.report);
    } else if (event.changed && event.finished > loaded) {
      remember();
      window.location.reload();
    } else {
      panel("built", "ビルドの注意 / Build warnings", event.warnings);
    }
  }

  // -- the editor's place across a reload -------------------------------------------------
  // An element without an id is named by its tag, its href or name, and its position among
  // the elements alike in the nearest ancestor with an id: a row added above it by the save
  // moves a table link in the document, but not among the links to the same page.
  function alike(scope, tag, href, name) {
    return Array.prototype.filter.call((scope || document).getElementsByTagName(tag), function (element) {
      return element.getAttribute("href") === href && element.getAttribute("name") === name;
    });
  }

  function describe(element) {
    if (!element || element === document.body || element === document.documentElement) { return null; }
    if (element.id) { return { id: element.id }; }
    var scope = element.parentElement && element.parentElement.closest("[id]");
    var href = element.getAttribute("href"), name = element.getAttribute("name");
    return { scope: scope ? scope.id : null, tag: element.localName, href: href, name: name,
             index: alike(scope, element.localName, href, name).indexOf(element) };
  }

  function find(described) {
    if (!described) { return null; }
    if (described.id) { return document.getElementById(described.id); }
    var scope = described.scope ? document.getElementById(described.scope) : null;
    if (described.scope && !scope) { return null; }
    return alike(scope, described.tag, described.href, described.name)[described.index] || null;
  }

  function remember() {
    try {
      sessionStorage.setItem(PLACE, JSON.stringify({
        url: window.location.href, x: window.scrollX, y: window.scrollY,
        focus: describe(document.activeElement)
      }));
    } catch (error) {
      // storage refused (a private mode, a full quota): the page reloads all the same
    }
  }

  function restore() {
    var place = JSON.parse(sessionStorage.getItem(PLACE) || "null");
    sessionStorage.removeItem(PLACE);  // once: a reload of the editor's own starts afresh
    if (!place || place.url !== window.location.href) { return; }
    // After "load": the page's own scripts (deferred, modules) have run and shown what they
    // enhance (a table's filter form is hidden until then), and the page has its full height.
    function back() {
      var element = find(place.focus);
      var active = document.activeElement;
      if (element && (!active || active === document.body)) {  // unless the editor has moved on
        element.focus({ preventScroll: true });
      }
      window.scrollTo(place.x, place.y);
    }
    if (document.readyState === "complete") {
      back();
    } else {
      window.addEventListener("load", back, { once: true });
    }
  }

  // -- the relay ---------------------------------------------------------------------------
  function listen() {
    var source = new EventSource("/__preview/events");
    source.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (channel) { channel.postMessage(event); }
      handle(event);
    };
  }

  if (channel && navigator.locks) {
    channel.onmessage = function (message) { handle(message.data); };
    // held until the tab closes; then another open tab takes it and listens
    navigator.locks.request("jcredit-preview-events", function () {
      listen();
      return new Promise(function () {});
    });
  } else {
    listen();
  }
  try {
    restore();
  } catch (error) {
    // a place that cannot be put back leaves the page where the browser put it
  }
}());
