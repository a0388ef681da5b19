// sillok: dismiss the read-only archive banner for the rest of the day (the reader's local date),
// like the Presidential Archives' "[오늘 그만 보기]". Nothing else is stored, nothing is sent.
(function () {
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-sillok-dismiss]");
    if (!button) return;
    try {
      localStorage.setItem("sillok.banner.hidden", today());
    } catch (e) {}
    document.documentElement.classList.add("sillok-banner-hidden");
    // the button is gone: keep the keyboard where the reader was going, at the start of the page's content
    var content = document.getElementById("sillok-content");
    if (content) content.focus();
  });
})();

// sillok: the drawer button (a label in Material, a button here) opens the drawer and says whether it is open.
(function () {
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector("[data-sillok-drawer]");
  if (!toggle || !button) return;
  function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
  toggle.addEventListener("change", sync);
  button.addEventListener("click", function () {
    toggle.checked = !toggle.checked;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));
    if (toggle.checked) {
      var first = document.querySelector(".md-sidebar--primary a[href]");
      if (first) setTimeout(function () { first.focus(); }, 50);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      button.focus();
    }
  });
})();

// sillok: on the search page, switching language keeps the query and filters (?q=…&type=…): the
// language links name the other language's search page, and the search box keeps the address current.
(function () {
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[hreflang]");
    if (!link || !location.search || !document.querySelector(".sillok-search")) return;
    if (!/\/records\/search\/$/.test(link.pathname)) return;
    link.search = location.search;
  }, true);
})();
