/* "Verify this record": checks, in the reader's browser, that a record is exactly what was sealed.
 *
 * It fetches the record's proof (tlog/proofs/<id>.json), the published checkpoint and the record's
 * sealed source files (sources/…); hashes each file with WebCrypto; rebuilds the file's ledger leaf
 * (SHA-256 of "sillok-ledger-leaf\0" || salt || "\n" || "<sha256>  <path>"); checks its RFC 9162
 * inclusion proof against the checkpoint's root; and, when the checkpoint is signed, checks the
 * SSH signature (Ed25519, ssh-keygen -Y sign format) against the published allowed_signers.
 * Then it says, in the page's language, whether the record matches and what does not.
 * No third-party code; only same-origin fetches (the site's CSP allows nothing else). */
(function () {
  "use strict";

  var TEXT = {
    ko: {
      checking: "확인하는 중…",
      ok: "이 기록은 봉인된 그대로입니다: 파일 {n}개가 모두 봉인 {seal}의 체크포인트(트리 크기 {size})에 포함되어 있습니다.",
      signed: " 체크포인트의 서명도 확인했습니다({who}).",
      unsigned: " 체크포인트에 서명이 없습니다.",
      noEd25519: " 이 브라우저는 서명을 확인할 수 없습니다: ssh-keygen -Y verify로 확인하십시오.",
      failed: "이 기록은 봉인된 것과 다릅니다:",
      changed: "{file}: 내용이 봉인된 것과 다릅니다 (봉인된 SHA-256 {expected}, 받은 파일 {found}).",
      notIncluded: "{file}: 체크포인트의 트리에 포함되어 있지 않습니다 (포함 증명이 맞지 않음).",
      checkpoint: "증명이 공개된 체크포인트와 맞지 않습니다 (트리 크기 또는 루트 해시가 다름).",
      badSignature: "체크포인트의 서명이 허용된 서명자의 것이 아니거나 맞지 않습니다.",
      fetch: "{url}을(를) 가져오지 못했습니다 ({error})."
    },
    en: {
      checking: "Checking…",
      ok: "This record matches what was sealed: all {n} of its files are in the checkpoint of seal {seal} (tree size {size}).",
      signed: " The checkpoint's signature was verified too ({who}).",
      unsigned: " The checkpoint is not signed.",
      noEd25519: " This browser cannot check the signature: check it with ssh-keygen -Y verify.",
      failed: "This record does NOT match what was sealed:",
      changed: "{file}: its content differs from what was sealed (sealed SHA-256 {expected}, received {found}).",
      notIncluded: "{file}: not included in the checkpoint's tree (the inclusion proof does not match).",
      checkpoint: "The proof does not match the published checkpoint (tree size or root hash differs).",
      badSignature: "The checkpoint's signature is not by an allowed signer, or does not match.",
      fetch: "Could not fetch {url} ({error})."
    }
  };

  function say(lang, key, values) {
    var text = (TEXT[lang] || TEXT.en)[key];
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(values[name])); });
    return text;
  }

  var encoder = new TextEncoder();

  function concat(parts) {
    var total = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(total), at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  async function sha(name, bytes) { return new Uint8Array(await crypto.subtle.digest(name, bytes)); }
  function hex(bytes) { return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join(""); }
  function unbase64(text) { return Uint8Array.from(atob(text.trim()), function (c) { return c.charCodeAt(0); }); }
  function same(a, b) { return a.length === b.length && a.every(function (v, i) { return v === b[i]; }); }

  async function fetchBytes(url) {
    var response;
    try { response = await fetch(url, { cache: "no-store", credentials: "omit" }); }
    catch (error) { throw { url: url, error: String(error.message || error) }; }
    if (!response.ok) { throw { url: url, error: "HTTP " + response.status }; }
    return new Uint8Array(await response.arrayBuffer());
  }

  /* RFC 9162 section 2.1.3.2: verify that leaf is at index in the tree of size with this root. */
  async function included(index, size, leaf, proof, root) {
    if (index >= size) { return false; }
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < proof.length; i++) {
      var p = proof[i];
      if (sn === 0) { return false; }
      if (fn % 2 === 1 || fn === sn) {
        r = await sha("SHA-256", concat([new Uint8Array([1]), p, r]));
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await sha("SHA-256", concat([new Uint8Array([1]), r, p]));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && same(r, root);
  }

  /* SSH strings: uint32 length, then bytes. */
  function reader(bytes) {
    var at = 0;
    return {
      raw: function (n) { var out = bytes.subarray(at, at + n); at += n; return out; },
      string: function () {
        var n = ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
        at += 4;
        return this.raw(n);
      }
    };
  }
  function sshString(bytes) {
    var n = bytes.length;
    return concat([new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]), bytes]);
  }

  /* An ssh-keygen -Y sign signature (PROTOCOL.sshsig) of message by an Ed25519 key in allowed_signers:
     the principal's name, false when it does not verify, null when this browser has no Ed25519. */
  async function signedBy(message, armored, allowed, namespace) {
    var body = armored.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    var blob = reader(unbase64(body));
    if (new TextDecoder().decode(blob.raw(6)) !== "SSHSIG") { return false; }
    blob.raw(4);  // version
    var publicKey = blob.string(), space = blob.string(), reserved = blob.string(), hashName = blob.string();
    var signature = reader(blob.string());
    if (new TextDecoder().decode(space) !== namespace) { return false; }
    if (new TextDecoder().decode(signature.string()) !== "ssh-ed25519") { return false; }
    var signatureBytes = signature.string();
    var who = null;
    allowed.split("\n").forEach(function (line) {
      var parts = line.trim().split(/\s+/);
      if (parts.length >= 3 && parts[1] === "ssh-ed25519" && same(unbase64(parts[2]), publicKey)) { who = parts[0]; }
    });
    if (who === null) { return false; }
    var key = reader(publicKey); key.string();
    var algorithm = new TextDecoder().decode(hashName) === "sha256" ? "SHA-256" : "SHA-512";
    var signed = concat([encoder.encode("SSHSIG"), sshString(space), sshString(reserved), sshString(hashName),
                         sshString(await sha(algorithm, message))]);
    var imported;
    try { imported = await crypto.subtle.importKey("raw", key.string(), { name: "Ed25519" }, false, ["verify"]); }
    catch (error) { return null; }
    return (await crypto.subtle.verify({ name: "Ed25519" }, imported, signatureBytes, signed)) ? who : false;
  }

  async function verify(box) {
    var lang = box.dataset.lang, root = box.dataset.root, problems = [];
    var proof = JSON.parse(new TextDecoder().decode(await fetchBytes(box.dataset.proof)));
    var checkpoint = await fetchBytes(root + proof.checkpoint);
    var lines = new TextDecoder().decode(checkpoint).split("\n");
    var rootHash = unbase64(lines[2] || "");
    if (Number(lines[1]) !== proof.tree_size || lines[2] !== proof.root_hash) { problems.push(say(lang, "checkpoint")); }
    for (var i = 0; i < proof.files.length; i++) {
      var file = proof.files[i];
      var digest = hex(await sha("SHA-256", await fetchBytes(root + file.source)));
      if (digest !== file.sha256) {
        problems.push(say(lang, "changed", { file: file.file, expected: file.sha256, found: digest }));
        continue;
      }
      var line = encoder.encode(digest + "  " + file.source.replace(/^sources\//, ""));
      var leaf = await sha("SHA-256", concat([encoder.encode("sillok-ledger-leaf\0" + file.salt + "\n"), line]));
      var leafHash = await sha("SHA-256", concat([new Uint8Array([0]), leaf]));
      if (!(await included(file.leaf_index, proof.tree_size, leafHash, file.inclusion_proof.map(unbase64), rootHash))) {
        problems.push(say(lang, "notIncluded", { file: file.file }));
      }
    }
    var note = say(lang, "unsigned");
    if (proof.signature) {
      var armored = new TextDecoder().decode(await fetchBytes(root + proof.signature));
      var allowed = new TextDecoder().decode(await fetchBytes(root + "tlog/allowed_signers"));
      var who = await signedBy(checkpoint, armored, allowed, "sillok-checkpoint");
      if (who === false) { problems.push(say(lang, "badSignature")); }
      note = who === null ? say(lang, "noEd25519") : say(lang, "signed", { who: who });
    }
    return { problems: problems, text: say(lang, "ok", { n: proof.files.length, seal: proof.seal, size: proof.tree_size }) + note };
  }

  function show(box, ok, text, problems) {
    var result = box.querySelector(".sillok-verify-result");
    result.textContent = text;
    result.dataset.outcome = ok ? "match" : "mismatch";
    if (problems && problems.length) {
      var list = document.createElement("ul");
      problems.forEach(function (problem) { var item = document.createElement("li"); item.textContent = problem; list.appendChild(item); });
      result.appendChild(list);
    }
  }

  function start(box) {
    var button = box.querySelector("button");
    box.hidden = false;
    button.addEventListener("click", function () {
      var lang = box.dataset.lang;
      button.disabled = true;
      show(box, true, say(lang, "checking"));
      box.querySelector(".sillok-verify-result").dataset.outcome = "checking";
      verify(box).then(function (outcome) {
        if (outcome.problems.length) { show(box, false, say(lang, "failed"), outcome.problems); }
        else { show(box, true, outcome.text); }
      }, function (failure) {
        var problem = failure && failure.url ? say(lang, "fetch", failure) : String(failure);
        show(box, false, say(lang, "failed"), [problem]);
      }).then(function () { button.disabled = false; });
    });
  }

  function init() {
    if (!window.crypto || !crypto.subtle) { return; }  // WebCrypto needs a secure context (https or localhost)
    document.querySelectorAll(".sillok-verify").forEach(start);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
