/*
 * The inbox's only script; every page works without it.
 * - The list asks /changes every few seconds and says, in a polite live region, how many inquiries
 *   arrived since the page was drawn, with a link that shows them.
 * - After a change is saved the page lands on its "Saved." message: focus moves there, so screen
 *   readers announce it and the keyboard carries on from it.
 * - Choosing "Closed" makes the reason required (the server checks it in any case).
 */
(() => {
  'use strict';
  const arrivals = document.getElementById('arrivals');
  if (arrivals) {
    const since = Number(arrivals.dataset.version) || 0;
    let shown = 0;
    const ask = async () => {
      try {
        const reply = await fetch('/changes?since=' + since, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (!reply.ok) return;
        const data = await reply.json();
        if (data.new && data.new !== shown) {
          shown = data.new;
          arrivals.textContent = '';
          const link = document.createElement('a');
          link.href = location.pathname + location.search;
          link.textContent = shown === 1 ? '1 new inquiry arrived: show it' : shown + ' new inquiries arrived: show them';
          arrivals.appendChild(link);
        }
      } catch (e) { /* the next try may work */ }
    };
    setInterval(ask, 5000);
  }
  const saved = document.getElementById('saved');
  if (saved) saved.focus();
  const status = document.getElementById('status');
  const reason = document.getElementById('reason');
  if (status && reason) {
    const sync = () => { reason.required = status.value === 'closed'; };
    status.addEventListener('change', sync);
    sync();
  }
})();
