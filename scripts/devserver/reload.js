// Preview only (added by scripts/serve.py, never part of the built site): reload the page
// after a successful rebuild, or show the build's problems when it failed.
(function () {
  "use strict";
  var source = new EventSource("/__preview/events");
  var first = true;
  source.onmessage = function (message) {
    var event = JSON.parse(message.data);
    var panel = document.getElementById("preview-problems");
    if (event.type === "failed") {
      if (!panel) {
        panel = document.createElement("section");
        panel.id = "preview-problems";
        panel.setAttribute("role", "alert");
        panel.className = "notice notice-warning";
        document.body.insertBefore(panel, document.body.firstChild);
      }
      panel.textContent = "";
      var heading = document.createElement("h2");
      heading.textContent = "ビルドに失敗しました / The build failed";
      var list = document.createElement("pre");
      list.textContent = event.report;
      panel.appendChild(heading);
      panel.appendChild(list);
    } else if (!first) {
      window.location.reload();
    }
    first = false;
  };
}());
