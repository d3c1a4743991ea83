/*
 * First-party attribution for inquiry forms. No cookies, no third-party code.
 *
 * 1. Remembers where the visitor came from, in localStorage: campaign parameters (UTMs,
 *    ad click ids exactly as received, ?ref=CODE), the external referrer and the landing
 *    page. A touch is a landing: a page reached with a campaign parameter, from another
 *    site, or directly; moving between the site's own pages is never a touch. The first
 *    touch is kept; the latest touch is replaced by each landing with a campaign parameter
 *    or from another site (a direct visit keeps the last one, as analytics tools do). A
 *    visit from another site keeps its referrer, from which the reports derive source and
 *    medium as GA does (pipeline/reports/channels.py: host / referral, or organic / social).
 *    Both expire after data-days days; an expired first touch is replaced by the next
 *    landing (or the latest one), never by an inner page.
 * 2. Fills the hidden ft_* / lt_* / form_page / fill_ms fields of every form[data-inquiry].
 * 3. Counts clicks on tel: links and on links marked data-track="booking" or
 *    data-track="directions" with a beacon to our own receiver: page, kind and
 *    attribution only, nothing the visitor typed.
 * 4. Enhances inquiry forms: inline, accessible error messages, and sending without
 *    leaving the page. When the message cannot be sent (the receiver or its store is down, the
 *    network fails, no answer within SEND_TIMEOUT_MS) the form says it was not sent, and the
 *    number to call (the form's data-call), and everything typed stays in it.
 *
 * Field names mirror pipeline/inquiry/fields.py (tests/plugins/inquiry_tags/
 * test_attribution_js.py keeps them in step). Usage (base.html writes it with
 * {{ inquiry.script() }}, under a fingerprinted name):
 *   <script src="/theme/js/attribution.js" data-days="90" data-beacon="/api/beacon"
 *           data-min-fill="3" defer></script>
 * Each visible field sits in an element marked data-field (or a fieldset); its error
 * message is added at the end of that element.
 */
(() => {
  'use strict';

  const UTM = ['utm_id', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_source_platform', 'utm_term', 'utm_content',
    'utm_creative_format', 'utm_marketing_tactic'];
  const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id'];
  const PARAMS = UTM.concat(CLICK_IDS, ['ref']);
  const TOUCH_KEYS = UTM.concat(CLICK_IDS, ['referrer', 'landing_page', 'ref', 'timestamp']);
  const KEY = 'inquiry-attribution';
  const SENT = 'Thank you. Your message was sent, and we will be in touch soon.';
  const FAILED = 'Your message was not sent. What you typed is still here: please try again in a few minutes, or call us';
  // The receiver gives up on a stuck store within seconds; past this, something between us and it hangs.
  const SEND_TIMEOUT_MS = 20000;
  const CHECK = 'Please check the highlighted fields.';

  const script = document.currentScript || { dataset: {} };
  const days = Number(script.dataset.days) || 90;
  const beaconUrl = script.dataset.beacon || '/api/beacon';
  const minFillMs = (Number(script.dataset.minFill) || 0) * 1000;
  const opened = performance.now();

  // --- 1. Attribution -------------------------------------------------------------

  function visit() {
    const query = new URLSearchParams(location.search);
    const touch = {};
    const kept = new URLSearchParams();
    PARAMS.forEach((name) => {
      const value = query.get(name);
      if (value) kept.set(name, (touch[name] = value.slice(0, 512)));
    });
    const campaign = Object.keys(touch).length > 0;
    let internal = false;
    try {
      const from = new URL(document.referrer);
      internal = from.origin === location.origin;
      // Origin and path only: a referrer's query may hold what someone searched for.
      if (!internal && /^https?:$/.test(from.protocol)) touch.referrer = from.origin + from.pathname;
    } catch (e) { /* no referrer: a direct visit */ }
    // The landing path and the tracking parameters only: other parameters may carry health details.
    touch.landing_page = location.pathname + (kept.toString() ? '?' + kept : '');
    touch.timestamp = new Date().toISOString();
    // Back on the site from another page of it, without new parameters: not a landing.
    const landing = campaign || !internal;
    return { touch, landing, renews: campaign || Boolean(touch.referrer) };
  }

  function fresh(touch) {
    return Boolean(touch && Date.now() - Date.parse(touch.timestamp) < days * 864e5);
  }

  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { /* storage off: this page only */ }
  const now = visit();
  const live = (touch) => (fresh(touch) ? touch : null);
  // An inner page is never a touch: with nothing fresh saved it leaves both empty until a landing.
  const latest = now.landing && (now.renews || !fresh(saved.latest)) ? now.touch : live(saved.latest);
  const attribution = {
    // An expired first touch gives way to this landing; on an inner page, to the latest landing.
    first: live(saved.first) || (now.landing ? now.touch : live(saved.latest)),
    latest,
  };
  try { localStorage.setItem(KEY, JSON.stringify(attribution)); } catch (e) { /* private mode, quota */ }

  function attributionFields() {
    const out = [];
    [['ft_', attribution.first], ['lt_', attribution.latest]].forEach(([prefix, touch]) => {
      TOUCH_KEYS.forEach((key) => out.push([prefix + key, (touch && touch[key]) || '']));
    });
    return out;
  }

  // --- 2. Hidden fields ------------------------------------------------------------

  function field(form, name) {
    const item = form.elements.namedItem(name);
    return item instanceof Element ? item : item && item[0];
  }

  function setHidden(form, name, value) {
    let input = field(form, name);
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function fill(form) {
    attributionFields().forEach(([name, value]) => setHidden(form, name, value));
    setHidden(form, 'form_page', location.pathname);
    setHidden(form, 'fill_ms', String(Math.round(performance.now() - opened)));
  }

  // --- 3. Click beacons ------------------------------------------------------------

  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href]');
    if (!link || !navigator.sendBeacon) return;
    const track = link.dataset.track;
    const phone = /^tel:/i.test(link.getAttribute('href'));
    const kind = phone ? 'phone' : (track === 'booking' || track === 'directions') ? track : '';
    if (!kind) return;
    const data = new URLSearchParams(attributionFields());
    data.set('kind', kind);
    data.set('page', location.pathname);
    data.set('target', phone ? link.getAttribute('href').slice(4) : link.hostname);
    try { navigator.sendBeacon(beaconUrl, data); } catch (e) { /* never block the click */ }
  }, true);

  // --- 4. Forms --------------------------------------------------------------------

  function status(form, text, isError) {
    let box = form.querySelector('[data-inquiry-status]');
    if (!box) {
      box = document.createElement('p');
      box.setAttribute('data-inquiry-status', '');
      form.appendChild(box);
    }
    box.setAttribute('role', isError ? 'alert' : 'status');
    box.className = isError ? 'form-error' : 'form-status';
    box.textContent = text;
  }

  function describe(el, id, add) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
    if (add) ids.push(id);
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }

  function controls(form, name) {
    return Array.from(form.elements).filter((el) => el.name === name && el.type !== 'hidden');
  }

  function clearError(form, name) {
    const id = (form.id || 'inquiry') + '-' + name + '-error';
    const box = document.getElementById(id);
    if (box) box.remove();
    controls(form, name).forEach((el) => { el.removeAttribute('aria-invalid'); describe(el, id, false); });
  }

  function showError(form, name, message) {
    const els = controls(form, name);
    if (!els.length) return false;
    const id = (form.id || 'inquiry') + '-' + name + '-error';
    const box = document.createElement('p');
    box.id = id;
    box.className = 'field-error';
    box.textContent = message;
    (els[0].closest('[data-field], fieldset') || els[0].parentNode).appendChild(box);
    els.forEach((el) => { el.setAttribute('aria-invalid', 'true'); describe(el, id, true); });
    return true;
  }

  function showErrors(form, errors) {
    const names = Object.keys(errors).filter((name) => showError(form, name, errors[name]));
    if (names.length) controls(form, names[0])[0].focus();
    return names.length > 0;
  }

  function sent(form) {
    const note = document.createElement('p');
    note.className = 'form-sent';
    note.setAttribute('role', 'status');
    note.tabIndex = -1;
    note.textContent = form.dataset.sent || SENT;
    form.before(note);
    form.reset();
    form.hidden = true;
    note.focus();
  }

  async function submit(form, event) {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    Array.from(form.querySelectorAll('[aria-invalid]')).forEach((el) => clearError(form, el.name));
    const invalid = {};
    Array.from(form.elements).forEach((el) => {
      if (el.willValidate && !el.checkValidity() && !invalid[el.name]) invalid[el.name] = el.validationMessage;
    });
    if (showErrors(form, invalid)) return status(form, CHECK, true);

    form.setAttribute('aria-busy', 'true');
    status(form, 'Sending\u2026', false);
    const wait = minFillMs - (performance.now() - opened);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 50));
    fill(form);
    let reply = null;
    let refused = false; // the receiver answered and said no (a field, the rate limit): its message says why
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: 'application/json' },
        credentials: 'omit',
        signal: abort.signal,
      });
      reply = await response.json().catch(() => null);
      if (response.ok && reply && reply.ok) return sent(form);
      refused = response.status < 500 && Boolean(reply && reply.message);
    } catch (e) { /* offline, blocked or timed out: keep the form as it is */ }
    finally { clearTimeout(timer); form.removeAttribute('aria-busy'); }
    if (!refused) return status(form, notSent(form), true);
    const errors = reply.errors || {};
    showErrors(form, errors);
    // A message for a field the page does not show (e.g. an outdated form) goes in the status line.
    const loose = Object.keys(errors).filter((name) => !controls(form, name).length).map((name) => errors[name]);
    status(form, loose.join(' ') || reply.message, true);
  }

  function notSent(form) {
    const phone = (form.dataset.call || '').trim();
    return FAILED + (phone ? ' at ' + phone : '') + '.';
  }

  // Email is needed for an email reply, a phone number for a call or a text: fields marked
  // data-required-for="phone sms" become required (and show their marker) for those methods.
  function requireForMethod(form) {
    const chosen = form.querySelector('input[name="contact_method"]:checked');
    const method = chosen ? chosen.value : '';
    form.querySelectorAll('[data-required-for]').forEach((el) => {
      const needed = el.dataset.requiredFor.split(/\s+/).includes(method);
      if (el.matches('input, select, textarea')) {
        el.required = needed;
        if (!needed && el.getAttribute('aria-invalid') && el.checkValidity()) clearError(form, el.name);
      } else el.hidden = !needed;
    });
  }

  document.querySelectorAll('form[data-inquiry]').forEach((form) => {
    form.noValidate = true; // our messages replace the browser's bubbles
    setHidden(form, 'fill_ms', '0'); // a script that fills fields without typing stays at 0
    requireForMethod(form);
    const touched = (event) => {
      setHidden(form, 'fill_ms', String(Math.round(performance.now() - opened)));
      const el = event.target;
      if (el.name === 'contact_method') requireForMethod(form);
      if (!el.name || el.type === 'hidden') return;
      if (el.getAttribute('aria-invalid') && el.checkValidity()) clearError(form, el.name);
      // Inline validation: a field left with something wrong in it says so at once.
      else if (event.type === 'change' && el.value && !el.getAttribute('aria-invalid') && !el.checkValidity()) {
        showError(form, el.name, el.validationMessage);
      }
    };
    form.addEventListener('input', touched);
    form.addEventListener('change', touched);
    form.addEventListener('submit', (event) => submit(form, event));
  });

  // Sent without the script (it had not loaded) and refused: the receiver sent the visitor
  // back with ?inquiry_error=CODE&inquiry_fields=a,b. Say so at the form.
  const flag = new URLSearchParams(location.search);
  const refused = flag.get('inquiry_error') && document.querySelector('form[data-inquiry]');
  if (refused) {
    const errors = {};
    (flag.get('inquiry_fields') || '').split(',').filter(Boolean).forEach((name) => { errors[name] = 'Please check this.'; });
    status(refused, showErrors(refused, errors) ? CHECK : 'Please check the form and send it again.', true);
  }
})();
