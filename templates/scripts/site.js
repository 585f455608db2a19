// The language switcher opens the other language at the section being read: the headings
// have the same ids in every language. The links are brought up to date when a reader is
// about to use them, so scrolling costs nothing.
(function () {
  "use strict";
  var nav = document.querySelector(".languages");
  if (!nav) return;
  var links = nav.querySelectorAll("a[hreflang]");
  function current() {
    var marks = document.querySelectorAll("main h2[id], main h3[id], main h4[id], main .gap[id], main .figure[id]");
    var id = "";
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getBoundingClientRect().top > nav.getBoundingClientRect().bottom + 40) break;
      id = marks[i].id;
    }
    return id;
  }
  function update() {
    var id = current();
    links.forEach(function (link) {
      var page = link.getAttribute("href").split("#")[0];
      link.setAttribute("href", id ? page + "#" + id : page);
    });
  }
  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    nav.addEventListener(type, update, { passive: true });
  });
})();
