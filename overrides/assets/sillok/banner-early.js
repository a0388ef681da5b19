// sillok: hide the read-only banner before the page paints when it was dismissed today (local date).
// Loaded in <head> from a file (not inline) so the Content-Security-Policy vouches for no inline script.
(function () {
  try {
    var d = new Date(), today = d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate();
    if (localStorage.getItem("sillok.banner.hidden") === today) {
      document.documentElement.classList.add("sillok-banner-hidden");
    }
  } catch (e) {}
})();
