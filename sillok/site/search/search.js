/* sillok search: queries the static index that sillok/site/search/index.py writes under _search/<lang>/.
 *
 * The analyzer below mirrors sillok/site/search/analysis.py token for token (a browser test compares them):
 * Hangul runs → overlapping bigrams, so 위원회 is found inside 탄소중립위원회 and 기회 never matches
 * 기획재정부; Latin words → lower case, light plural stemming. Every query word must match (AND).
 * Files are gzip-compressed JSON that the page inflates itself (DecompressionStream).
 */
(function () {
  "use strict";

  // ---- analysis: keep in step with sillok/site/search/analysis.py ----
  var CJK = "\uac00-\ud7a3\u4e00-\u9fff";
  var TOKEN = new RegExp("[" + CJK + "]+|[0-9a-z]+(?:['\u2019][a-z]+)*", "g");
  var STOPWORDS = new Set("a an and are as at be by for from has have in is it its of on or that the this to was were which with".split(" "));
  var PARTICLES = ["에서는", "으로는", "에서의", "이라는", "에서", "에게", "으로", "에는", "라는", "을", "를", "은", "는"];
  var AMBIGUOUS_PARTICLES = "이가의도로과와에";
  var ONE_SYLLABLE_PARTICLES = new Set("을를은는이가의에와과도로".split(""));
  var UNIGRAM_PREFIX = "1";

  function normalize(text) { return text.normalize("NFKC").toLowerCase(); }
  function isCjk(token) { return token.charCodeAt(0) >= 0x3000; }

  function stem(word) {
    word = word.replace(/['\u2019]s$/, "").replace(/['\u2019]/g, "");
    var n = word.length;
    if (n > 4 && /ies$/.test(word) && !/(eies|aies)$/.test(word)) return word.slice(0, -3) + "y";
    if (n > 3 && /es$/.test(word) && !/(aes|ees|oes)$/.test(word)) return word.slice(0, -1);
    if (n > 3 && /s$/.test(word) && !/(us|ss)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function bigrams(run) {
    var chars = Array.from(run);
    if (chars.length === 1) return [UNIGRAM_PREFIX + run];
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }

  var MASK_BITS = 16;

  function isBigram(token) {
    return token.length === 2 && token.charCodeAt(0) >= 0x3000 && token.charCodeAt(1) >= 0x3000;
  }

  function indexTokens(text) {  // only for the parity test: the index is built in Python
    var tokens = new Map(), position = 0;
    function add(t, at) {
      var entry = tokens.get(t);
      if (!entry) { entry = [0, 0]; tokens.set(t, entry); }
      entry[0] += 1;
      if (at !== null) entry[1] |= 1 << (at % MASK_BITS);
    }
    normalize(text).split("\n").forEach(function (line) {
      var previousEnd = -2, previousCjk = "", m;
      position += 2;
      TOKEN.lastIndex = 0;
      while ((m = TOKEN.exec(line)) !== null) {
        var token = m[0];
        if (isCjk(token)) {
          var gap = line.slice(previousEnd, m.index);
          if (previousCjk && gap && !gap.replace(/[ \t]+/g, "")) add(previousCjk.slice(-1) + token[0], position - 1);
          else position += 1;
          if (token.length === 1) add(UNIGRAM_PREFIX + token, null);
          for (var i = 0; i + 1 < token.length; i++) add(token.slice(i, i + 2), position + i);
          position += token.length;
          previousCjk = token;
        } else {
          var word = stem(token);
          if (word && !STOPWORDS.has(word)) add(word, null);
          previousCjk = "";
        }
        previousEnd = m.index + token.length;
      }
    });
    return Object.fromEntries(tokens);
  }

  function stripParticle(word) {
    for (var i = 0; i < PARTICLES.length; i++) {
      var p = PARTICLES[i];
      if (word.endsWith(p) && word.length - p.length >= 2) return word.slice(0, -p.length);
    }
    if (word.length >= 4 && AMBIGUOUS_PARTICLES.indexOf(word.slice(-1)) >= 0) return word.slice(0, -1);
    return word;
  }

  function uniqueSorted(list) {
    return Array.from(new Set(list)).sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
  }

  function queryTerms(query) {
    var terms = [], previousEnd = -1, previousLatin = false, m;
    query = normalize(query);
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(query)) !== null) {
      var token = m[0];
      if (isCjk(token)) {
        var glued = previousLatin && previousEnd === m.index;
        if (!(glued && ONE_SYLLABLE_PARTICLES.has(token))) {
          var word = stripParticle(token);
          if (word.length === 1) terms.push({ word: word, tokens: [UNIGRAM_PREFIX + word], kind: "cjk", prefix: word });
          else terms.push({ word: word, tokens: uniqueSorted(bigrams(word)), kind: "cjk" });
        }
        previousLatin = false;
      } else {
        var w = stem(token);
        if (w && !STOPWORDS.has(w)) terms.push({ word: w, tokens: [w], kind: "latin" });
        previousLatin = true;
      }
      previousEnd = m.index + token.length;
    }
    return terms;
  }

  // ---- loading ----
  var FORMAT = 6;  // FORMAT in sillok/site/search/index.py
  var MAX_PREFIX_SHARDS = 6;  // a prefix never loads more than this many shards

  function fetchJson(url, init) {  // gzip-compressed JSON, inflated here (or already inflated by the host)
    return fetch(url, init).then(function (r) {
      if (!r.ok) throw new Error(url + " " + r.status);
      return r.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text();
    }).then(JSON.parse);
  }

  function Index(baseUrl) {
    this.base = baseUrl;
    this.cache = new Map();
    var self = this;
    this.manifest = fetchJson(baseUrl + "manifest.sidx", { cache: "no-cache" }).then(function (m) {
      if (m.format !== FORMAT) throw new Error("unknown index format " + m.format);
      self.version = m.version;
      self.bundle = m.bundle;
      self.count = m.count;
      return m;
    });
    this.docs = this.manifest.then(function () { return self.load("docs.sidx"); });
  }

  Index.prototype.load = function (path) {  // files named by the manifest's version: cached for good
    var self = this;
    if (!this.cache.has(path)) {
      var p = fetchJson(this.base + path + "?v=" + this.version);
      p.catch(function () { self.cache.delete(path); });
      this.cache.set(path, p);
    }
    return this.cache.get(path);
  };

  function shardOf(starts, token) {  // the last shard whose first token is <= token
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= token) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  // Posting lists stay as the flat arrays the shards hold: [age delta, weight, (mask,) ...], oldest first.
  // The postings are split by age into tiers (the last holds the newest records, so a new record
  // changes only its shards): a token's postings are one list per tier, each counting from age -1.
  Index.prototype.postings = function (token) {  // → [flat list per tier], empty where no record holds the token
    var self = this;
    return this.manifest.then(function (m) {
      return Promise.all(m.tiers.map(function (tier) {
        var n = shardOf(tier[2], token);
        if (n < 0) return [];
        return self.load("s/" + tier[0] + "-" + tier[1] + "/" + n + ".sidx").then(function (shard) { return shard[token] || []; });
      }));
    });
  };

  Index.prototype.prefixPostings = function (prefix) {  // → {token: [flat list per tier]} of every token starting with prefix
    var self = this;
    return this.manifest.then(function (m) {
      return Promise.all(m.tiers.map(function (tier) {
        var starts = tier[2], first = Math.max(0, shardOf(starts, prefix)), last = shardOf(starts, prefix + "\uffff");
        if (last < 0) return [];
        last = Math.min(last, first + MAX_PREFIX_SHARDS - 1);
        var loads = [];
        for (var i = first; i <= last; i++) loads.push(self.load("s/" + tier[0] + "-" + tier[1] + "/" + i + ".sidx"));
        return Promise.all(loads);
      })).then(function (perTier) {
        var out = {};
        perTier.forEach(function (shards, t) {
          shards.forEach(function (shard) {
            Object.keys(shard).forEach(function (token) {
              if (!token.startsWith(prefix)) return;
              if (!out[token]) out[token] = m.tiers.map(function () { return []; });
              out[token][t] = shard[token];
            });
          });
        });
        return out;
      });
    });
  };

  function rotate(mask) { return ((mask << 1) | (mask >>> (MASK_BITS - 1))) & ((1 << MASK_BITS) - 1); }

  // ---- matching and ranking (BM25; every query word must match) ----
  // Scores live in dense arrays indexed by record number: no per-posting objects, so thousands of
  // matches rank in a few milliseconds on a phone.
  function Ranker(m, docs) {  // BM25, k1 = 1.2, b = 0.75; record lengths come as classes a..p (2^((class - 8) / 4) × average)
    this.n = m.count;
    this.norm = new Float64Array(m.count);
    for (var d = 0; d < m.count; d++) this.norm[d] = 1.2 * (0.25 + 0.75 * Math.pow(2, (docs.length.charCodeAt(d) - 105) / 4));
  }

  // Visit each posting of a flat list as (doc, BM25 score, mask). Lists number records by age, oldest
  // first (so a new record only adds to their ends); a record's number here is newest first.
  Ranker.prototype.each = function (token, flats, visit) {  // flats: one list per tier
    var stride = isBigram(token) ? 3 : 2, last = this.n - 1, norm = this.norm, df = 0;
    flats.forEach(function (flat) { df += flat.length / stride; });
    var idf = Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
    flats.forEach(function (flat) {
      var age = -1;
      for (var i = 0; i < flat.length; i += stride) {
        age += flat[i];
        var doc = last - age, tf = flat[i + 1];
        visit(doc, idf * tf * 2.2 / (tf + norm[doc]), stride === 3 ? flat[i + 2] : 0);
      }
    });
  };

  // One query word: which records hold it (hit[d] = 1) and how well (score[d]).
  Ranker.prototype.all = function (term, flats) {  // every token, and for a Korean word, in order
    var n = this.n, score = new Float64Array(n), count = new Uint8Array(n), hit = new Uint8Array(n);
    var chained = term.kind === "cjk" && term.word.length > 2, masks = {};
    term.tokens.forEach(function (token, i) {
      var mask = chained ? (masks[token] = new Uint16Array(n)) : null;
      this.each(token, flats[i], function (doc, s, m) { score[doc] += s; count[doc]++; if (mask) mask[doc] = m; });
    }, this);
    var pieces = chained ? bigrams(term.word) : null, need = term.tokens.length;
    for (var d = 0; d < n; d++) {
      if (count[d] !== need) continue;
      if (chained) {  // 위원 at p and 원회 at p + 1, not merely both somewhere
        var chain = masks[pieces[0]][d];
        for (var k = 1; k < pieces.length && chain; k++) chain = rotate(chain) & masks[pieces[k]][d];
        if (!chain) continue;
      }
      hit[d] = 1;
    }
    return { score: score, hit: hit };
  };

  Ranker.prototype.any = function (tokens, flats) {  // at least one token
    var n = this.n, score = new Float64Array(n), hit = new Uint8Array(n);
    tokens.forEach(function (token, i) {
      this.each(token, flats[i], function (doc, s) { hit[doc] = 1; if (s > score[doc]) score[doc] = s; });
    }, this);
    return { score: score, hit: hit };
  };

  Index.prototype.search = function (query) {  // → {terms, matches: [[doc, score], ...]}, matches null for no words
    var self = this, terms = queryTerms(query);
    if (!terms.length) return Promise.resolve({ terms: terms, matches: null });
    return Promise.all([this.manifest, this.docs]).then(function (md) {
      var m = md[0], ranker = self.ranker || (self.ranker = new Ranker(m, md[1])), lastLatin = -1;
      terms.forEach(function (t, i) { if (t.kind === "latin") lastLatin = i; });
      return Promise.all(terms.map(function (term, i) {
        if (term.prefix !== undefined) {  // one syllable: alone, or starting a longer run
          return Promise.all([self.postings(term.tokens[0]), self.prefixPostings(term.prefix)]).then(function (r) {
            var tokens = [term.tokens[0]].concat(Object.keys(r[1]));
            return ranker.any(tokens, tokens.map(function (t, j) { return j ? r[1][t] : r[0]; }));
          });
        }
        return Promise.all(term.tokens.map(function (t) { return self.postings(t); })).then(function (flats) {
          var exact = flats.some(function (tiers) { return tiers.some(function (f) { return f.length; }); });
          if (exact || i !== lastLatin || term.word.length < 2) return ranker.all(term, flats);
          return self.prefixPostings(term.word).then(function (byToken) {  // still typing: carb → carbon
            term.prefixed = true;
            var tokens = Object.keys(byToken);
            return ranker.any(tokens, tokens.map(function (t) { return byToken[t]; }));
          });
        });
      })).then(function (perTerm) {
        var matches = [];
        for (var d = 0; d < ranker.n; d++) {
          var total = 0, ok = true;
          for (var t = 0; t < perTerm.length && ok; t++) { ok = perTerm[t].hit[d] === 1; total += perTerm[t].score[d]; }
          if (ok) matches.push([d, total]);
        }
        return { terms: terms, matches: matches };
      });
    });
  };

  // ---- snippets ----
  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function highlighter(terms) {
    var parts = terms.map(function (t) {
      if (t.kind === "cjk") return Array.from(t.word).map(escapeRegExp).join("\\s?");
      var w = /y$/.test(t.word) ? escapeRegExp(t.word.slice(0, -1)) + "(?:y|ie)" : escapeRegExp(t.word);  // policy, policies
      return "(?<![0-9a-z])" + w + "[0-9a-z]*";
    });
    return parts.length ? new RegExp(parts.join("|"), "giu") : null;
  }

  function appendMarked(parent, text, pattern) {
    if (!pattern) { parent.appendChild(document.createTextNode(text)); return; }
    var last = 0, m;
    pattern.lastIndex = 0;
    while ((m = pattern.exec(text)) !== null) {
      if (!m[0]) { pattern.lastIndex++; continue; }
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function snippet(text, pattern, size) {
    text = text.replace(/\s+/g, " ");
    var at = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      var m = pattern.exec(text);
      if (m) at = Math.max(0, m.index - Math.floor(size / 4));
      if (at > 0) {  // begin at a word, not inside one
        var space = text.indexOf(" ", at);
        if (space >= 0 && (!m || space < m.index)) at = space + 1;
      }
    }
    var out = text.slice(at, at + size);
    return (at > 0 ? "…" : "") + out + (at + size < text.length ? "…" : "");
  }

  // ---- the page ----
  var PAGE = 10;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function SearchUI(root) {
    this.root = root;
    this.language = root.getAttribute("data-language") || "ko";
    this.index = new Index(root.getAttribute("data-index"));
    this.input = root.querySelector("input[type=search]");
    this.form = root.querySelector("form");
    this.filters = el("div", "sillok-search__filters");
    this.status = el("p", "sillok-search__status");
    this.status.setAttribute("role", "status");
    this.list = el("ol", "sillok-search__results");
    this.more = el("button", "sillok-search__more");
    this.more.type = "button";
    this.more.hidden = true;
    root.append(this.filters, this.status, this.list, this.more);
    this.selects = {};
    this.generation = 0;
    var self = this, params = new URLSearchParams(location.search);
    this.input.value = params.get("q") || "";
    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.run(); });
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.run(); }, 60);
    });
    this.more.addEventListener("click", function () { self.showMore(); });
    this.index.manifest.then(function (m) {
      self.text = m.text;
      self.more.textContent = m.text.more;
      self.buildFilters(m, params);
      if (self.input.value || self.filtered()) self.run();
    }, function () { self.fail(); });
  }

  SearchUI.prototype.buildFilters = function (m, params) {
    var self = this;
    var facets = {
      type: m.types.map(function (t, i) { return [t[0], t[1], i, t[2]]; }),
      year: m.years.map(function (y, i) { return [String(y[0]), String(y[0]), i, y[2] - y[1]]; }),
      office: m.offices.map(function (o, i) { return [o[0], o[1], i, o[2]]; }),
    };
    this.facets = facets;
    ["type", "year", "office"].forEach(function (name) {
      var label = el("label", "sillok-search__filter");
      label.appendChild(el("span", null, m.text[name]));
      var select = el("select");
      select.name = name;
      select.appendChild(new Option(m.text.all, ""));
      // each value with how many records it holds, as on the browse pages
      facets[name].forEach(function (v) {
        select.appendChild(new Option(v[3] === undefined ? v[1] : v[1] + " (" + v[3].toLocaleString() + ")", v[0]));
      });
      select.value = params.get(name) || "";
      select.addEventListener("change", function () { self.run(); });
      label.appendChild(select);
      self.filters.appendChild(label);
      self.selects[name] = select;
    });
  };

  SearchUI.prototype.filtered = function () {
    var s = this.selects;
    return Object.keys(s).some(function (k) { return s[k].value; });
  };

  SearchUI.prototype.fail = function () {
    this.root.setAttribute("data-state", "error");
    this.status.textContent = this.text ? this.text.error : "The search index could not be loaded. / 검색 색인을 불러오지 못했습니다.";
  };

  SearchUI.prototype.syncUrl = function () {
    var params = new URLSearchParams();
    if (this.input.value.trim()) params.set("q", this.input.value.trim());
    var s = this.selects;
    Object.keys(s).forEach(function (k) { if (s[k].value) params.set(k, s[k].value); });
    var q = params.toString();
    history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
  };

  SearchUI.prototype.run = function () {
    var self = this, generation = ++this.generation, query = this.input.value;
    this.syncUrl();
    this.root.setAttribute("data-state", "loading");
    Promise.all([this.index.manifest, this.index.docs, this.index.search(query)]).then(function (r) {
      if (generation !== self.generation) return;
      var m = r[0], docs = r[1], result = r[2];
      var matches = result.matches;
      if (matches === null) {  // no words: browse by filters, newest first
        if (!self.filtered()) { self.clear(); return; }
        matches = [];
        for (var d = 0; d < m.count; d++) matches.push([d, 0]);
      }
      var type = self.selects.type.value, year = self.selects.year.value, office = self.selects.office.value;
      var typeN = type ? self.facets.type.findIndex(function (v) { return v[0] === type; }) : -1;
      var officeN = office ? self.facets.office.findIndex(function (v) { return v[0] === office; }) : -1;
      var range = year ? m.years.find(function (y) { return String(y[0]) === year; }) : null;
      var hits = [];
      matches.forEach(function (match) {
        var doc = match[0];
        if (typeN >= 0 && docs.type[doc] !== typeN) return;
        if (officeN >= 0 && docs.office[doc] !== officeN) return;
        if (year && !(range && doc >= range[1] && doc < range[2])) return;
        hits.push(match);
      });
      hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      self.hits = hits;
      self.pattern = highlighter(result.terms);
      self.verify = verifier(result.terms);
      self.shown = 0;
      self.dropped = 0;
      self.list.textContent = "";
      self.more.hidden = true;
      self.showCount();
      return self.showMore(generation);
    }).catch(function (e) {
      if (generation === self.generation) { self.fail(); if (window.console) console.error(e); }
    });
  };

  SearchUI.prototype.clear = function () {
    this.hits = [];
    this.list.textContent = "";
    this.status.textContent = "";
    this.more.hidden = true;
    this.root.removeAttribute("data-count");
    this.root.setAttribute("data-state", "idle");
  };

  // Bigrams say a record holds 위원 and 원회, not that they are adjacent: a shown result must hold
  // each Korean word itself (spaces inside allowed); the rare record that does not is dropped.
  function verifier(terms) {
    var words = terms.filter(function (t) { return t.kind === "cjk" && t.prefix === undefined; }).map(function (t) {
      return new RegExp(Array.from(t.word).map(escapeRegExp).join("\\s?"), "u");
    });
    return function (f) {
      if (f.cut) return true;
      var text = normalize(f.title + "\n" + f.office + "\n" + f.text);
      return words.every(function (w) { return w.test(text); });
    };
  }

  SearchUI.prototype.showMore = function (generation) {
    var self = this, wanted = PAGE;
    generation = generation || this.generation;
    function batch() {
      var page = self.hits.slice(self.shown, self.shown + wanted);
      self.shown += page.length;
      var items = page.map(function () { var li = el("li", "sillok-search__result"); self.list.appendChild(li); return li; });
      return Promise.all(page.map(function (hit, i) {
        // fragments come in bundles, oldest record first (so a new record leaves the older bundles as they were):
        // record r (newest first) is item a % bundle of file a / bundle, where a = count - 1 - r
        var bundle = self.index.bundle, age = self.index.count - 1 - hit[0];
        return self.index.load("f/" + Math.floor(age / bundle) + ".sidx").then(function (b) {
          var f = b[age % bundle];
          if (generation !== self.generation) return;
          if (self.verify(f)) { self.render(items[i], f); wanted--; return; }
          items[i].remove();
          self.dropped++;
        });
      })).then(function () {
        if (generation !== self.generation) return;
        self.showCount();
        if (wanted > 0 && self.shown < self.hits.length) return batch();
      });
    }
    return batch().then(function () {
      if (generation !== self.generation) return;
      self.more.hidden = self.shown >= self.hits.length;
      self.root.setAttribute("data-state", "done");
    });
  };

  SearchUI.prototype.showCount = function () {
    var n = this.hits.length - this.dropped;
    var words = n === 1 && this.text.result_one ? this.text.result_one : this.text.results;
    this.status.textContent = n ? words.replace("{n}", n.toLocaleString()) : this.text.none;
    this.root.setAttribute("data-count", String(n));
  };

  SearchUI.prototype.render = function (li, f) {
    li.setAttribute("data-id", f.id);
    var h = el("h2", "sillok-search__title"), a = el("a");
    a.href = f.url;
    appendMarked(a, f.title, this.pattern);
    h.appendChild(a);
    var p = el("p", "sillok-search__snippet");
    appendMarked(p, snippet(f.text, this.pattern, this.language === "ko" ? 110 : 180), this.pattern);
    if (f.lang) {  // no text in the page's language: its fallback page, with the text it has
      a.lang = f.lang;
      p.lang = f.lang;
      h.append(" ", el("span", "sillok-search__note", f.note));
    }
    var meta = el("p", "sillok-search__meta");
    var time = el("time", null, f.when || f.date);
    time.dateTime = f.date;
    var typeName = (this.facets.type.find(function (v) { return v[0] === f.type; }) || [f.type, f.type])[1];
    meta.append(time, " · " + typeName + " · " + f.office);
    li.append(h, meta, p);
  };

  window.sillokSearch = { normalize: normalize, stem: stem, bigrams: bigrams, indexTokens: indexTokens, queryTerms: queryTerms, Index: Index };

  function start() {
    document.querySelectorAll(".sillok-search[data-index]").forEach(function (root) {
      if (!root.sillokSearch) root.sillokSearch = new SearchUI(root);
    });
  }
  // Loaded async from inside the search box, so the box is already parsed: start fetching the index
  // now rather than after the theme's scripts have run at DOMContentLoaded (a cold first query waits
  // on that chain of fetches); start again then for any box parsed later.
  start();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
})();
