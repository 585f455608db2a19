// The language switcher opens the other language at the section being read: the headings
// have the same ids in every language.
(function () {
  "use strict";
  var links = document.querySelectorAll(".languages a[hreflang]");
  var marks = document.querySelectorAll("main h2[id], main h3[id], main h4[id], main .gap[id], main .figure[id]");
  var pending = false;
  function current() {
    var id = "";
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getBoundingClientRect().top > 80) break;
      id = marks[i].id;
    }
    return id;
  }
  function update() {
    pending = false;
    var id = current();
    links.forEach(function (link) {
      var page = link.getAttribute("href").split("#")[0];
      link.setAttribute("href", id ? page + "#" + id : page);
    });
  }
  window.addEventListener("scroll", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(update); }
  }, { passive: true });
  window.addEventListener("hashchange", update);
  update();
})();
