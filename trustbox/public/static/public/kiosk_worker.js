// The foyer tablet's service worker (trustbox.public.kiosk_app puts KIOSK_PAGE, KIOSK_FILES and
// KIOSK_CACHE above). It keeps the blank page (network first) and the files under their hashed
// names (cache first); a POST never goes through it (docs/security-kiosk.md).
/* global KIOSK_PAGE, KIOSK_FILES, KIOSK_CACHE */
self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(KIOSK_CACHE).then(function (cache) {
      return cache.addAll(KIOSK_FILES.concat([KIOSK_PAGE]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("trustbox-kiosk-") === 0 && name !== KIOSK_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(url) {
  return url.origin === self.location.origin && url.pathname === KIOSK_PAGE;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  // An address with a query (the language switch, a fresh form token) goes to the network.
  if (isPage(url) && !url.search) {
    // The blank form from the network, kept for the next outage; the kept one when the network
    // or the server fails (a 5xx: the database away).
    var kept = function (answer) {
      return caches.match(KIOSK_PAGE).then(function (page) { return page || answer; });
    };
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(KIOSK_CACHE).then(function (cache) { cache.put(KIOSK_PAGE, copy); });
          return response;
        }
        return response.status >= 500 ? kept(response) : response;
      }).catch(function () { return kept(Response.error()); })
    );
    return;
  }
  if (url.origin === self.location.origin && KIOSK_FILES.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(url.pathname).then(function (kept) { return kept || fetch(request); })
    );
  }
});
