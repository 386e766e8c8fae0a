/* The dashboard's state (URL fragment), token (sessionStorage) and calls to /api; Panels (panels.js) draws. */
'use strict';

(() => {
  const TOKEN_KEY = 'hub.dashboard.token';
  const RANGES = { '24h': 24 * 3600e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3, '90d': 90 * 86400e3 };
  const DEFAULT_RANGE = '7d';
  const ALL = '*all*';
  const SEVERAL = '*several*';
  const $ = id => document.getElementById(id);
  let generation = 0;
  let last = null;
  // dashboard.js runs at the end of the body, before the deferred Chart.js and panels.js: the first load's calls start
  // while those compile, and drawing waits for them (DOMContentLoaded fires after every deferred script has run)
  const scriptsRan = new Promise(resolve => document.addEventListener('DOMContentLoaded', resolve));

  /** Refused token (401): the person is asked again. */
  class TokenRefused extends Error {}
  /** Any other failed call: its status and the hub's error text. */
  class ApiFailure extends Error {
    constructor(path, status, text) {
      super(status ? `${path} answered ${status}${text ? ': ' + text : ''}` : `${path}: the hub could not be reached`);
      this.status = status;
    }
  }

  // --- the fragment: #token=..&range=7d&from=..&to=..&esp=..&tag=.. (percent-encoded; keys may repeat) ---

  function readFragment() {
    const pairs = location.hash.replace(/^#/, '').split('&').filter(Boolean).map(p => {
      const i = p.indexOf('=');
      const dec = s => { try { return decodeURIComponent(s); } catch (e) { return s; } };
      return i < 0 ? [dec(p), ''] : [dec(p.slice(0, i)), dec(p.slice(i + 1))];
    });
    const all = k => pairs.filter(([key]) => key === k).map(([, v]) => v);
    const one = k => (all(k).length ? all(k)[0] : null);
    return { token: one('token'), range: RANGES[one('range')] ? one('range') : DEFAULT_RANGE,
      from: one('from'), to: one('to'), esp: all('esp'), tag: all('tag') };
  }

  function fragment(state) {
    const parts = [];
    const put = (k, v) => parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    if (state.from || state.to) {
      if (state.from) put('from', state.from);
      if (state.to) put('to', state.to);
    } else {
      put('range', state.range);
    }
    state.esp.forEach(v => put('esp', v));
    state.tag.forEach(v => put('tag', v));
    return '#' + parts.join('&');
  }

  /** A token in the fragment goes to sessionStorage and leaves the address bar, so a copied link does not carry it. */
  function takeToken(state) {
    if (state.token !== null) {
      if (state.token) sessionStorage.setItem(TOKEN_KEY, state.token);
      history.replaceState(null, '', fragment(state));
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** The query the page asks for: explicit from/to win over the range choice; the bucket suits the span. */
  function query(state) {
    const to = state.to ? new Date(state.to) : new Date(Math.ceil(Date.now() / 60e3) * 60e3);
    const from = state.from ? new Date(state.from) : new Date(to.getTime() - RANGES[state.range]);
    const span = to - from;
    const bucket = span <= 2 * 86400e3 ? 'hour' : span <= 180 * 86400e3 ? 'day' : 'week';
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    return { from, to, bucket, tz, fromText: state.from || from.toISOString(), toText: state.to || to.toISOString() };
  }

  function qs(params) {
    return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  }

  async function api(path, params, token, optional) {
    const url = 'api/' + path + (params.length ? '?' + qs(params) : '');
    let r;
    try {
      r = await fetch(url, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
    } catch (e) {
      throw new ApiFailure('/api/' + path, 0);
    }
    if (r.status === 401) throw new TokenRefused();
    if (optional && r.status === 404) return null;
    const text = await r.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: reported below */ }
    if (!r.ok) throw new ApiFailure('/api/' + path, r.status, body && body.error ? body.error : '');
    return body;
  }

  // --- the flow ---

  function setState(s) { document.body.dataset.state = s; }

  function notice(text, isError) {
    const n = $('notice');
    n.textContent = text || '';
    n.hidden = !text;
    n.className = isError ? 'error' : '';
  }

  function askToken(refused) {
    setState('token');
    $('main').hidden = true;
    notice('');
    $('token-form').hidden = false;
    $('token-error').hidden = !refused;
    $('token-error').textContent = refused ? 'The hub refused that token (401). Enter it again.' : '';
    $('token-input').value = '';
    $('token-input').focus();
  }

  /** The choices seen in the range, plus those the fragment names; several values from a link show as one entry. */
  function fillSelect(select, values, chosen, labelOf) {
    const known = new Set(values);
    chosen.forEach(v => { if (!known.has(v)) values.push(v); });
    const opts = [[ALL, 'all'], ...values.map(v => [v, labelOf(v)])];
    if (chosen.length > 1) opts.push([SEVERAL, chosen.map(labelOf).join(' or ')]);
    select.replaceChildren(...opts.map(([v, t]) => new Option(t, v)));
    select.value = chosen.length === 0 ? ALL : chosen.length === 1 ? chosen[0] : SEVERAL;
  }

  function filters(options, state) {
    const esps = new Set(), tags = new Set();
    for (const g of options.groups) { esps.add(g.key.esp); tags.add(g.key.tag === null ? '' : g.key.tag); }
    fillSelect($('esp'), [...esps].sort(), state.esp, v => v);
    fillSelect($('tag'), [...tags].sort(), state.tag, v => (v === '' ? '(no tag)' : v));
  }

  function header(state, q) {
    document.querySelectorAll('#ranges button').forEach(b => {
      b.setAttribute('aria-pressed', String(!state.from && !state.to && b.dataset.range === state.range));
    });
    const fmt = d => d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    $('span').textContent = `${fmt(q.from)} – ${fmt(q.to)} (${q.tz}, per ${q.bucket})`;
    Object.assign($('main').dataset, { from: q.fromText, to: q.toText, bucket: q.bucket, tz: q.tz });
  }

  async function load() {
    const gen = ++generation;
    const state = readFragment();
    const token = takeToken(state);
    if (!token) return askToken(false);
    $('token-form').hidden = true;
    $('main').hidden = false;
    setState('loading');
    const q = query(state);
    header(state, q);
    const range = [['from', q.fromText], ['to', q.toText]];
    const esp = state.esp.map(v => ['esp', v]);
    const tag = state.tag.map(v => ['tag', v]);
    const call = (path, params, optional) => api(path, params, token, optional);
    try {
      const [main, options, providers, links, reasons, alerts, leads] = await Promise.all([
        call('stats', [...range, ['bucket', q.bucket], ['tz', q.tz], ['group_by', 'esp'], ...esp, ...tag]),
        call('stats', [...range, ['bucket', 'none'], ['group_by', 'esp,tag']]),
        call('stats', [...range, ['bucket', 'none'], ['group_by', 'mailbox_provider'], ...esp, ...tag]),
        call('stats/links', [...range, ...esp, ...tag, ['limit', '10']]),
        call('stats/bounce-reasons', [...range, ...esp, ['limit', '10']]),
        call('alerts', [['status', 'firing']], true),
        call('leads', [['limit', '10']], true),
      ]);
      performance.mark('dashboard-data');
      await scriptsRan;
      if (gen !== generation) return;
      filters(options, state);
      Panels.kpis(main.totals);
      Panels.eventsChart(main, q);
      Panels.ratesChart(main, q, $('rate-pick').value);
      Panels.providers(providers);
      Panels.links(links);
      Panels.bounces(reasons, state.tag.length > 0);
      Panels.alerts(alerts);
      Panels.leads(leads);
      await emptiness(main.totals.counts, call, gen);
      last = { main, q };
      if (gen !== generation) return;
      document.body.dataset.view = fragment(state);
      setState('ready');
      performance.mark('dashboard-ready');
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof TokenRefused) {
        sessionStorage.removeItem(TOKEN_KEY);
        askToken(true);
      } else {
        setState('error');
        $('main').hidden = true;   // figures of another view must not pass for this one
        notice(e.message, true);
        console.warn('dashboard:', e.message);
      }
    }
  }

  /** Says why the range shows nothing: no event ever (no data yet), or none sent in this range. */
  async function emptiness(counts, call, gen) {
    let text = '';
    if (counts.sent === 0 && counts.events === 0) {
      const any = await call('events', [['limit', '1']]);
      text = any.events.length === 0
        ? 'No data yet: the hub has received no event. Point an ESP\'s webhooks at /webhooks/{esp} (README, docs/vendors/).'
        : 'No sends in this range, with these filters.';
    } else if (counts.sent === 0) {
      text = 'No sends in this range, with these filters (only events that belong to no send).';
    }
    if (gen === generation) notice(text, false);
    document.body.dataset.empty = text ? (text.startsWith('No data') ? 'no-data' : 'no-sends') : '';
  }

  function change(mutate) {
    const state = readFragment();
    mutate(state);
    location.hash = fragment(state);
  }

  function chosen(select) {
    return select.value === ALL ? [] : [select.value];
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('#ranges button').forEach(b => b.addEventListener('click', () => change(s => {
      s.range = b.dataset.range; s.from = null; s.to = null;
    })));
    $('esp').addEventListener('change', () => change(s => { s.esp = chosen($('esp')); }));
    $('tag').addEventListener('change', () => change(s => { s.tag = chosen($('tag')); }));
    $('rate-pick').addEventListener('change', () => { if (last) Panels.ratesChart(last.main, last.q, $('rate-pick').value); });
    $('refresh').addEventListener('click', load);
    $('forget').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); askToken(false); });
    $('token-form').addEventListener('submit', ev => {
      ev.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
      load();
    });
    window.addEventListener('hashchange', load);
  });
  load();
})();
