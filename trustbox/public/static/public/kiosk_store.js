// What the foyer tablet keeps of its own (the kiosk page and the staff's set-up page use it):
// - the box key it was set up with, and its short code (localStorage), confirmed by a member;
// - the sealed envelopes waiting for the network (IndexedDB): the sealed fields the server
//   needs and nothing else. Never the text, never the receipt code, never a time of day.
(function () {
  var DB = "trustbox-kiosk";
  var STORE = "envelopes";

  function pinName(school) { return "trustbox-kiosk-key:" + school; }

  function pinGet(school) {
    try { return JSON.parse(localStorage.getItem(pinName(school)) || "null"); }
    catch (error) { return null; }
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One transaction: work(store) may return a request whose result is the answer.
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all(school) {
    return run("readonly", function (store) { return store.getAll(); }).then(function (list) {
      return list.filter(function (record) { return record.school === school; });
    });
  }

  window.TrustBoxKiosk = {
    pinGet: pinGet,
    pinSet: function (school, key, code) {
      localStorage.setItem(pinName(school), JSON.stringify({ key: key, code: code }));
    },
    pinForget: function (school) { localStorage.removeItem(pinName(school)); },
    add: function (record) { return run("readwrite", function (s) { return s.add(record); }); },
    put: function (record) { return run("readwrite", function (s) { return s.put(record); }); },
    remove: function (id) { return run("readwrite", function (s) { return s.delete(id); }); },
    all: all,
    count: function (school) {
      return all(school).then(function (list) { return list.length; });
    },
  };
})();
