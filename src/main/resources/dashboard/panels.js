/* What the dashboard shows: KPI cards, charts and tables, drawn from /api answers. No fetching here (dashboard.js). */
'use strict';

const Panels = (() => {
  /** Default warn/critical thresholds of the alert rules (shared/spec/insight.md, hub.alerts.RULE.*). */
  const THRESHOLDS = {
    hard_bounce_rate: { warn: 0.02, critical: 0.05 },
    complaint_rate: { warn: 0.0008, critical: 0.001 },
  };
  /** Each KPI rate with the counts it divides, to show "n of d" under the value. */
  const FORMULAS = {
    delivery_rate: ['delivered', 'sent'], hard_bounce_rate: ['hard_bounced', 'sent'],
    complaint_rate: ['complained', 'delivered'], open_rate: ['opened', 'delivered'],
    click_rate: ['clicked', 'delivered'], click_to_open_rate: ['clicked', 'opened'],
    unsubscribe_rate: ['unsubscribed', 'delivered'],
  };
  /** The series of the events chart: [label, function of a bucket's counts]. */
  const EVENT_SERIES = [
    ['delivered', c => c.delivered], ['hard bounced', c => c.hard_bounced], ['soft bounced', c => c.soft_bounced],
    ['deferred', c => c.deferred], ['rejected', c => c.rejected], ['complained', c => c.complained],
    ['unsubscribed', c => c.unsubscribed], ['opens', c => c.opens], ['machine opens', c => c.machine_opens],
    ['clicks', c => c.clicks], ['machine clicks', c => c.machine_clicks],
  ];
  const COLOURS = ['#2f6fdf', '#c0392b', '#e67e22', '#8e8e8e', '#6c3483', '#d4145a', '#7f8c8d',
    '#16a085', '#76d7c4', '#27ae60', '#a9dfbf', '#f1c40f', '#34495e'];
  const charts = {};

  const count = n => Number(n).toLocaleString('en');

  function pct(v) {
    if (v === null || v === undefined) return 'n/a';
    const p = v * 100;
    return (p === 0 ? '0' : p.toFixed(p < 0.1 ? 3 : p < 1 ? 2 : 1)) + ' %';
  }

  /** ok, warning or critical for a rate with an alert rule; null otherwise or when the rate is null. */
  function level(name, v) {
    const t = THRESHOLDS[name];
    if (!t || v === null || v === undefined) return null;
    return v >= t.critical ? 'critical' : v >= t.warn ? 'warning' : 'ok';
  }

  function kpis(totals) {
    document.querySelectorAll('.kpi').forEach(card => {
      const name = card.dataset.kpi;
      const isCount = name in totals.counts;
      const v = isCount ? totals.counts[name] : totals.rates[name];
      card.dataset.value = v === null || v === undefined ? '' : String(v);
      card.querySelector('.val').textContent = isCount ? count(v) : pct(v);
      const f = FORMULAS[name];
      card.querySelector('.sub').textContent = f
        ? `${count(totals.counts[f[0]])} / ${count(totals.counts[f[1]])} ${f[1]}` : `${count(totals.counts.events)} events`;
      const l = level(name, v);
      if (l) card.dataset.level = l; else delete card.dataset.level;
    });
  }

  function cell(text, title, lvl) {
    const td = document.createElement('td');
    td.textContent = text;
    if (title) td.title = title;
    if (lvl) td.dataset.level = lvl;
    return td;
  }

  /** Fills a panel's table body with one row per item, or one line saying why there is none. */
  function table(id, items, row, emptyText) {
    const body = document.querySelector(`#${id} tbody`);
    body.replaceChildren();
    if (!items || items.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(emptyText);
      td.className = 'empty';
      td.colSpan = document.querySelectorAll(`#${id} th`).length;
      tr.append(td);
      body.append(tr);
      return;
    }
    for (const item of items) {
      const tr = document.createElement('tr');
      tr.append(...row(item));
      body.append(tr);
    }
  }

  function providers(stats) {
    const groups = [...stats.groups].sort((a, b) => b.totals.counts.sent - a.totals.counts.sent);
    table('providers', groups, g => {
      const c = g.totals.counts, r = g.totals.rates;
      return [cell(g.key.mailbox_provider ?? '(no recipient)'), cell(count(c.sent)), cell(pct(r.delivery_rate)),
        cell(pct(r.bounce_rate), `hard bounces: ${pct(r.hard_bounce_rate)}`),
        cell(pct(r.complaint_rate), `${c.complained} of ${c.delivered} delivered`, level('complaint_rate', r.complaint_rate))];
    }, 'no sends in this range');
  }

  function links(answer) {
    table('links', answer.links, l => [cell(l.url.replace(/^https?:\/\/(www\.)?/, ''), l.url), cell(count(l.clicks)), cell(count(l.clicked)),
      cell(count(l.machine_clicks))], 'no clicks in this range');
  }

  function bounces(answer, tagFiltered) {
    document.querySelector('#bounces .note').hidden = !tagFiltered;
    table('bounces', answer.reasons, r => [cell(r.reason ?? '(none given)', r.reason), cell(r.bounce_type ?? ''),
      cell(count(r.sends))], 'no bounces in this range');
  }

  /** An answer of a list API that may not exist yet: null (404) or its items under one of these names. */
  function items(answer, ...names) {
    if (!answer) return [];
    if (Array.isArray(answer)) return answer;
    for (const n of names) if (Array.isArray(answer[n])) return answer[n];
    return [];
  }

  const when = t => (t ? new Date(t).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '');
  const groupText = g => Object.entries(g || {}).map(([k, v]) => `${k}=${v}`).join(', ');

  function alerts(answer) {
    table('alerts', items(answer, 'alerts', 'items'), a => [
      cell(`${a.severity ?? ''} ${a.rule ?? ''}`.trim(), a.dedup_key, a.severity === 'critical' ? 'critical' : 'warning'),
      cell(groupText(a.group)), cell(typeof a.value === 'number' && a.value <= 1 ? pct(a.value) : String(a.value ?? '')),
      cell(when(a.started_at))], 'none yet');
  }

  function leads(answer) {
    table('leads', items(answer, 'leads', 'items'), l => [cell(l.recipient ?? l.email ?? '', (l.links || []).join('\n')),
      cell(String(l.score ?? '')), cell(when(l.engaged_at ?? l.at ?? l.created_at))], 'none yet');
  }

  /** Bucket starts from..to in the browser's zone (the tz the page asks the API for), so empty buckets show. */
  function bucketStarts(from, to, bucket) {
    const starts = [];
    const d = new Date(from);
    if (bucket === 'hour') d.setMinutes(0, 0, 0); else d.setHours(0, 0, 0, 0);
    if (bucket === 'week') d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
    for (let guard = 0; d < to && guard < 5000; guard++) {
      starts.push(d.getTime());
      if (bucket === 'hour') d.setTime(d.getTime() + 3600e3);
      else d.setDate(d.getDate() + (bucket === 'week' ? 7 : 1));
    }
    return starts;
  }

  function label(ms, bucket) {
    const o = bucket === 'hour' ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
      : { month: 'short', day: 'numeric' };
    return new Date(ms).toLocaleString('en-GB', o);
  }

  /** Draws a chart, or gives it new data; its canvas tells the sum of each series (data-series). */
  function draw(id, type, labels, datasets, yOptions, pointRadius) {
    const canvas = document.getElementById(id);
    const summary = {};
    datasets.forEach(ds => { summary[ds.label] = ds.data.reduce((s, v) => s + (v ?? 0), 0); });
    canvas.dataset.series = JSON.stringify(summary);
    canvas.dataset.points = String(labels.length);
    if (!charts[id]) {
      charts[id] = new Chart(canvas, {
        type, data: { labels, datasets },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
          elements: { point: { radius: pointRadius }, line: { borderWidth: 1.5 } },
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 11 } } } },
          scales: { x: { ticks: { maxRotation: 0, autoSkipPadding: 12, font: { size: 10 } } }, y: yOptions },
        },
      });
    } else {
      charts[id].data = { labels, datasets };
      charts[id].options.scales.y = yOptions;
      charts[id].update('none');
    }
  }

  function byStart(buckets) {
    const m = new Map();
    for (const b of buckets) m.set(Date.parse(b.start), b);
    return m;
  }

  /** Events by type over time: the groups (one per ESP, which partition the sends) summed per bucket. */
  function eventsChart(stats, q) {
    const starts = bucketStarts(q.from, q.to, q.bucket);
    const maps = stats.groups.map(g => byStart(g.buckets));
    const datasets = EVENT_SERIES.map(([name, f], i) => ({
      label: name, borderColor: COLOURS[i], backgroundColor: COLOURS[i],
      data: starts.map(s => maps.reduce((sum, m) => sum + (m.has(s) ? f(m.get(s).counts) : 0), 0)),
    }));
    draw('events-chart', 'line', starts.map(s => label(s, q.bucket)), datasets, { beginAtZero: true, ticks: { precision: 0 } }, 0);
  }

  /** One rate over time, a line per ESP; a bucket without a denominator is a gap, not 0. */
  function ratesChart(stats, q, rate) {
    const starts = bucketStarts(q.from, q.to, q.bucket);
    const datasets = stats.groups.map((g, i) => {
      const m = byStart(g.buckets);
      return { label: g.key.esp, borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length],
        spanGaps: false, data: starts.map(s => (m.has(s) ? m.get(s).rates[rate] : null)) };
    });
    draw('rates-chart', 'line', starts.map(s => label(s, q.bucket)), datasets,
      { ticks: { callback: v => pct(v) } }, 2);
  }

  return { kpis, providers, links, bounces, alerts, leads, eventsChart, ratesChart, pct };
})();
