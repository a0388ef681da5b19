// sillok: the page's first script, in <head> before the stylesheets, and async like every other: nothing
// holds up the parser, so DOMContentLoaded waits for the HTML alone (issue 12: a cold record page on Slow 4G
// with a 4x slower CPU). It is small and asked for first, so it runs before the stylesheets arrive and
// before anything is painted; everything below also works when it runs later. A file, not inline: the
// Content-Security-Policy allows no inline script.
(function () {
  var root = document.documentElement, script = document.currentScript;
  var loaded = document.readyState !== "loading", add = document.addEventListener;
  function when_parsed(listener) {
    if (loaded) listener(); else add.call(document, "DOMContentLoaded", listener);
  }
  root.classList.add("sillok-js");  // scripts run: the header's menu is a button (without them, a label)

  // Material 9.8's inline head script (partials/javascripts/base.html) as Material writes it: storage helpers
  // scoped to the site, whose root the page passes in data-scope.
  __md_scope=new URL(script.getAttribute("data-scope"),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};

  // The read-only banner stays hidden when it was dismissed today (the reader's local date).
  try {
    var d = new Date(), today = d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate();
    if (localStorage.getItem("sillok.banner.hidden") === today) root.classList.add("sillok-banner-hidden");
  } catch (e) {}

  // The reader's saved light/dark choice (Material's partials/javascripts/palette.html), put on <body> the moment
  // the parser creates it, before anything is painted. The automatic "(prefers-color-scheme)" option needs the
  // palette's inputs, which do not exist yet: Material's own script applies that one (this archive offers it not).
  var palette = null;
  try { palette = __md_get("__palette"); } catch (e) {}
  if (palette && palette.color && palette.color.media !== "(prefers-color-scheme)") {
    var paint = function (body) {
      for (var key in palette.color) body.setAttribute("data-md-color-" + key, palette.color[key]);
    };
    if (document.body) paint(document.body);
    else new MutationObserver(function (changes, observer) {
      if (document.body) { paint(document.body); observer.disconnect(); }
    }).observe(root, { childList: true });
  }

  // Material's script runs once the page is parsed: the <link rel="preload" data-sillok-after-parse> at the end
  // of the page has been fetching it meanwhile.
  when_parsed(function () {
    var links = document.querySelectorAll("link[data-sillok-after-parse]");
    for (var i = 0; i < links.length; i++) {
      var late = document.createElement("script");
      late.src = links[i].href;
      document.body.appendChild(late);
    }
  });

  // Material's script (run after parsing, above) listens for DOMContentLoaded when it starts; when it arrives after that event
  // has fired, a listener added then is called at once (asynchronously) instead of never. Listeners added before
  // the event are untouched, so nothing runs twice.
  when_parsed(function () { loaded = true; });
  document.addEventListener = function (type, listener, options) {
    if (type !== "DOMContentLoaded" || !loaded) return add.call(this, type, listener, options);
    setTimeout(function () {
      var event = new Event("DOMContentLoaded");
      if (typeof listener === "function") listener.call(document, event);
      else if (listener && listener.handleEvent) listener.handleEvent(event);
    }, 0);
  };
})();
