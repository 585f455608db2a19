// The live preview: reload when a newer build has made the pages; show the last build's
// problems over the page while the content has errors.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script.getAttribute("data-build");
  var overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(lines) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "preview-problems";
    overlay.setAttribute("role", "alert");
    Object.assign(overlay.style, {
      position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647",
      maxHeight: "60vh", overflow: "auto", margin: "0", padding: "1em 1.5em",
      background: "#5c0a0a", color: "#fff", font: "14px/1.45 monospace",
      boxShadow: "0 -2px 12px rgba(0, 0, 0, 0.4)", textAlign: "left", direction: "ltr"
    });
    var title = document.createElement("p");
    title.textContent = "The build found problems: the pages stay as the last build " +
      "without errors left them.";
    Object.assign(title.style, { margin: "0 0 0.5em", fontWeight: "bold" });
    var list = document.createElement("ul");
    Object.assign(list.style, { margin: "0", paddingLeft: "1.2em" });
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      Object.assign(item.style, { whiteSpace: "pre-wrap", overflowWrap: "anywhere" });
      list.appendChild(item);
    });
    overlay.appendChild(title);
    overlay.appendChild(list);
    document.body.appendChild(overlay);
  }
  var events = new EventSource(script.getAttribute("data-events"));
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.build !== build) {
      events.close();
      window.location.reload();
    } else if (state.problems.length) {
      show(state.problems);
    } else {
      hide();
    }
  };
})();
