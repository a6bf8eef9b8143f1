// Seals the appeal in this browser to the school's box key (WebCrypto only): the server gets
// an envelope it cannot open. Without X25519 or this script, the form goes as before. Formats:
// trustbox/seal/crypto/browser.py; what it protects: docs/security-browser.md.
// window.TrustBoxSeal:
//  supported() → Promise<bool>
//  sealAppeal({boxKey, salt, iterations, fields, files}) → Promise<{envelope: Uint8Array,
//   receiptCode, lookup (hex), writerPublic, writerLocked: Uint8Array, urgent}>
//   boxKey, salt: bytes or base64; fields: {text, kind, category, urgent, signed, name,
//   class_or_role, contact, language, kiosk}; files: images, re-drawn here (no EXIF, no GPS)
//  body(sealed, {token, csrf, boxKeyId}) → FormData: all the server takes, no plaintext
//  sealForm(form) → Promise<{body, receiptCode} | {missing} | null (send the plain form)>
//  fillReceipt(html, code) → html; sealBytes(boxKey, bytes) → Promise<envelope>;
//  cleanable(files) → bool (only images; a PDF goes the server's way)
(function () {
  var subtle = window.crypto && window.crypto.subtle;
  var V = 0xb1, MIB = 1048576, MAX = 4 * MIB;
  var SIZES = [2048, 8192, 32768, 131072, 524288, 2097152];
  var SIDE = 2000, PHOTO_BYTES = 900000;
  var X = { name: "X25519" };
  var enc = new TextEncoder();
  var detected = null;

  function bytes(value) {
    if (typeof value !== "string") return new Uint8Array(value);
    var raw = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function b64(data) {
    var s = "";
    for (var i = 0; i < data.length; i += 32768) {
      s += String.fromCharCode.apply(null, data.subarray(i, i + 32768));
    }
    return btoa(s);
  }
  function join(parts) {
    var length = 0, at = 0;
    parts.forEach((p) => { length += p.length; });
    var out = new Uint8Array(length);
    parts.forEach((p) => { out.set(p, at); at += p.length; });
    return out;
  }
  function hex(data) {
    return Array.from(data, (b) => (b + 256).toString(16).slice(1)).join("");
  }
  function sizeClass(n) {
    for (var i = 0; i < SIZES.length; i++) if (n <= SIZES[i]) return SIZES[i];
    return Math.ceil(n / MIB) * MIB;
  }
  function plain(value) {
    return (value || "").normalize("NFC").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "").trim();
  }

  function supported() {
    if (!detected) {
      detected = !subtle || !window.TextEncoder
        ? Promise.resolve(false)
        : Promise.resolve()
            .then(() => subtle.generateKey(X, true, ["deriveBits"]))
            .then(() => true, () => false);
    }
    return detected;
  }

  async function sealBytes(boxKey, plaintext) {
    var box = bytes(boxKey);
    var size = sizeClass(plaintext.length + 1) - 1;
    if (size + 49 > MAX + 48) throw new Error("size");
    var padded = new Uint8Array(size).fill(32);
    padded.set(plaintext);
    var eph = await subtle.generateKey(X, true, ["deriveBits"]);
    var boxPublic = await subtle.importKey("raw", box, X, false, []);
    var shared = await subtle.deriveBits({ name: "X25519", public: boxPublic }, eph.privateKey, 256);
    var epk = new Uint8Array(await subtle.exportKey("raw", eph.publicKey));
    var hkdf = await subtle.importKey("raw", shared, "HKDF", false, ["deriveBits"]);
    var out = new Uint8Array(await subtle.deriveBits({
      name: "HKDF", hash: "SHA-256", salt: join([epk, box]),
      info: enc.encode("trustbox-browser-envelope-v1"),
    }, hkdf, 352));
    var aes = await subtle.importKey("raw", out.slice(0, 32), "AES-GCM", false, ["encrypt"]);
    var sealed = await subtle.encrypt(
      { name: "AES-GCM", iv: out.slice(32), additionalData: new Uint8Array([V]) }, aes, padded);
    return join([new Uint8Array([V]), epk, new Uint8Array(sealed)]);
  }

  async function receipt(salt, iterations) {
    var digits = "";
    while (digits.length < 20) {
      crypto.getRandomValues(new Uint8Array(32)).forEach(function (b) {
        if (b < 250 && digits.length < 20) digits += b % 10;
      });
    }
    var code = digits.match(/\d{4}/g).join("-");
    var base = await subtle.importKey("raw", enc.encode(code), "PBKDF2", false, ["deriveBits"]);
    var master = new Uint8Array(await subtle.deriveBits({
      name: "PBKDF2", hash: "SHA-256", iterations: iterations,
      salt: join([bytes(salt), enc.encode("trustbox-browser-receipt-v1")]),
    }, base, 256));
    var sha = function (label) {
      return subtle.digest("SHA-256", join([enc.encode(label), master])).then((d) => new Uint8Array(d));
    };
    var lookup = await sha("lookup"), replyKey = await sha("reply");
    var pair = await subtle.generateKey(X, true, ["deriveBits"]);
    var d = bytes((await subtle.exportKey("jwk", pair.privateKey)).d);
    var nonce = crypto.getRandomValues(new Uint8Array(12));
    var aes = await subtle.importKey("raw", replyKey, "AES-GCM", false, ["encrypt"]);
    var locked = await subtle.encrypt(
      { name: "AES-GCM", iv: nonce, additionalData: new Uint8Array([V]) }, aes, d);
    return {
      receiptCode: code, lookup: hex(lookup),
      writerPublic: new Uint8Array(await subtle.exportKey("raw", pair.publicKey)),
      writerLocked: join([new Uint8Array([V]), nonce, new Uint8Array(locked)]),
    };
  }

  function cleanable(files) {
    return Array.prototype.every.call(files || [], (f) => /^image\/(jpeg|png|webp)$/.test(f.type));
  }

  async function redraw(file, index) {
    var picture = await createImageBitmap(file, { imageOrientation: "from-image" });
    var scale = Math.min(1, SIDE / Math.max(picture.width, picture.height));
    var canvas = document.createElement("canvas");
    var blob = null;
    for (var quality = 0.85; quality > 0.3 && (!blob || blob.size > PHOTO_BYTES); quality -= 0.15) {
      canvas.width = Math.max(1, Math.round(picture.width * scale));
      canvas.height = Math.max(1, Math.round(picture.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(picture, 0, 0, canvas.width, canvas.height);
      blob = await new Promise(function (done) { canvas.toBlob(done, "image/jpeg", quality); });
      scale *= 0.8;
    }
    if (!blob || blob.size > PHOTO_BYTES) throw new Error("photo");
    return { name: "photo-" + (index + 1) + ".jpg", content_type: "image/jpeg",
             data: b64(new Uint8Array(await blob.arrayBuffer())) };
  }

  async function sealAppeal(args) {
    var f = args.fields;
    var made = await receipt(args.salt, args.iterations);
    var files = [];
    for (var i = 0; i < (args.files || []).length; i++) files.push(await redraw(args.files[i], i));
    var signed = f.signed === "signed";
    var json = JSON.stringify({
      kind: f.kind || "message", category: f.category || "other", text: plain(f.text),
      urgent: !!f.urgent,
      writer: signed ? { name: plain(f.name), class_or_role: plain(f.class_or_role), contact: plain(f.contact) } : null,
      language: f.language || "ky", attachments: files, reply_public: b64(made.writerPublic),
      channel: f.kiosk ? "kiosk" : "online", v: 1,
    });
    made.envelope = await sealBytes(args.boxKey, enc.encode(json));
    made.urgent = !!f.urgent;
    return made;
  }

  function body(sealed, extra) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", extra.csrf);
    data.append("token", extra.token);
    data.append("box_key", extra.boxKeyId);
    if (sealed.urgent) data.append("urgent", "on");
    data.append("lookup", sealed.lookup);
    data.append("writer_key", b64(sealed.writerLocked));
    data.append("sealed", new Blob([sealed.envelope], { type: "application/octet-stream" }), "sealed");
    return data;
  }

  async function sealForm(form) {
    var key = form.getAttribute("data-seal-key");
    var files = form.elements.attachments ? form.elements.attachments.files : [];
    if (!key || !cleanable(files) || !(await supported())) return null;
    var value = function (name) { var el = form.elements[name]; return el ? el.value : ""; };
    var fields = {
      text: value("text"), kind: value("kind"), category: value("category"),
      urgent: form.elements.urgent && form.elements.urgent.checked, signed: value("signed"),
      name: value("name"), class_or_role: value("class_or_role"), contact: value("contact"),
      language: document.documentElement.lang, kiosk: form.hasAttribute("data-kiosk"),
    };
    // Said here, in the page's words: nothing goes.
    if (!plain(fields.text)) return { missing: form.getAttribute("data-seal-empty") };
    if (fields.signed === "signed" && !plain(fields.name)) {
      return { missing: form.getAttribute("data-seal-noname") };
    }
    var sealed = await sealAppeal({
      boxKey: key, salt: form.getAttribute("data-seal-salt"),
      iterations: +form.getAttribute("data-seal-iterations"), fields: fields, files: files,
    });
    return {
      body: body(sealed, { csrf: value("csrfmiddlewaretoken"), token: value("token"),
                           boxKeyId: form.getAttribute("data-seal-key-id") }),
      receiptCode: sealed.receiptCode,
    };
  }

  function fillReceipt(html, code) {
    return html.replace('id="receipt-code"></p>', 'id="receipt-code">' + code + "</p>");
  }

  window.TrustBoxSeal = {
    supported: supported, sealAppeal: sealAppeal, body: body, sealForm: sealForm,
    fillReceipt: fillReceipt, sealBytes: sealBytes, cleanable: cleanable,
  };

  // The note under the files: sealed here, or (a PDF) on the server.
  var form = document.querySelector("form[data-seal-key]");
  if (!form) return;
  supported().then(function (yes) {
    var sealedNote = document.getElementById("seal-here");
    var pdfNote = document.getElementById("seal-pdf");
    if (!yes || !sealedNote || !pdfNote) return;
    var input = form.elements.attachments;
    var show = function () {
      var here = cleanable(input ? input.files : []);
      sealedNote.hidden = !here;
      pdfNote.hidden = here;
    };
    if (input) input.addEventListener("change", show);
    show();
  });
})();
