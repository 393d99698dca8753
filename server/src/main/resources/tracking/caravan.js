/*! Caravan storefront snippet. Usage (docs/TRACKING.md):
 *  <script>window.caravan=window.caravan||function(){(caravan.q=caravan.q||[]).push(arguments)};</script>
 *  <script async src="https://YOUR-CARAVAN/t/caravan.js" data-caravan-key="pk_..."></script>
 *  caravan('consent', true)            once the shopper agreed (nothing is stored or sent before)
 *  caravan('page')                     page view
 *  caravan('product', {sku, category, price, currency})
 *  caravan('addToCart', {sku, category, price, quantity}), caravan('removeFromCart', {sku})
 *  caravan('checkout', {value, currency, items}), caravan('search', 'query')
 *  caravan('identify', 'shopper@example.com')   on login or checkout: earlier events join the profile
 *  caravan('consent', false)           withdraws: forgets the visitor id and stops sending
 */
(function (w, d) {
  'use strict';
  var script = d.currentScript || d.querySelector('script[data-caravan-key]');
  var key = script && script.getAttribute('data-caravan-key');
  var endpoint = script && script.src ? new URL('collect', script.src).href : null;
  var CONSENT = 'caravan_consent', VISITOR = 'caravan_aid';
  var queue = [], timer = null;

  function store() {
    try { return w.localStorage; } catch (e) { return null; }
  }
  function consented() {
    var s = store();
    return !!s && s.getItem(CONSENT) === '1';
  }
  function uuid() {
    if (w.crypto && w.crypto.randomUUID) return w.crypto.randomUUID();
    var b = new Uint8Array(16);
    w.crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }
  function visitor() {
    var s = store(), id = s.getItem(VISITOR);
    if (!id) { id = uuid(); s.setItem(VISITOR, id); }
    return id;
  }
  function flush() {
    timer = null;
    if (!queue.length || !endpoint || !consented()) { queue = []; return; }
    var batch = queue.splice(0, 50);
    var body = JSON.stringify({aid: visitor(), consent: true, wd: !!navigator.webdriver, events: batch});
    try {
      fetch(endpoint + '?k=' + encodeURIComponent(key), {
        method: 'POST', body: body, keepalive: true, mode: 'cors', credentials: 'omit',
        headers: {'Content-Type': 'text/plain;charset=UTF-8'}
      })['catch'](function () {});
    } catch (e) { /* never break the shop */ }
    if (queue.length) timer = setTimeout(flush, 0);
  }
  function track(type, props) {
    if (!key || !consented()) return false;   // no consent, no tracking: nothing is kept, not even in memory
    queue.push({id: uuid(), type: type, at: new Date().toISOString(), props: props || {}});
    if (!timer) timer = setTimeout(flush, 150);
    return true;
  }
  var api = {
    consent: function (granted) {
      var s = store();
      if (!s) return false;
      if (granted) { s.setItem(CONSENT, '1'); } else { s.removeItem(CONSENT); s.removeItem(VISITOR); queue = []; }
      return true;
    },
    page: function (p) {
      p = p || {};
      p.url = p.url || w.location.href;
      p.path = p.path || w.location.pathname;
      p.title = p.title || d.title;
      if (d.referrer && !p.referrer) p.referrer = d.referrer;
      return track('page_viewed', p);
    },
    product: function (p) { return track('product_viewed', p); },
    addToCart: function (p) { return track('added_to_cart', p); },
    removeFromCart: function (p) { return track('removed_from_cart', p); },
    checkout: function (p) { return track('checkout_started', p); },
    search: function (q) { return track('searched', {query: String(q)}); },
    identify: function (email) {
      var ok = track('identify', {email: String(email)});
      if (ok) { clearTimeout(timer); flush(); }
      return ok;
    },
    flush: function () { clearTimeout(timer); flush(); return true; }
  };
  function run(args) {
    var fn = api[args[0]];
    return fn ? fn.apply(null, Array.prototype.slice.call(args, 1)) : false;
  }
  var pending = (w.caravan && w.caravan.q) || [];
  w.caravan = function () { return run(arguments); };
  for (var i = 0; i < pending.length; i++) run(pending[i]);
  w.addEventListener('pagehide', function () { clearTimeout(timer); flush(); });
})(window, document);
