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
