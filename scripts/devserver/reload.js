// Preview only (added by scripts/serve.py, never part of the built site): reload the page after
// a rebuild that changed the site, and show the build's problems, or its warnings, in a panel.
//
// One tab of the site listens to the server and relays each event to the others: a browser
// keeps six connections to a host, and a stream per tab left a seventh page waiting for good.
// A page reloads for a build that ended after it was asked for: one that connects late (a
// slow page, a new leader tab) still learns that it is out of date.
(function () {
  "use strict";
  var loaded = performance.timeOrigin || Date.now();
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("jcredit-preview") : null;

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
      window.location.reload();
    } else {
      panel("built", "ビルドの注意 / Build warnings", event.warnings);
    }
  }

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
}());
