// Banyan migration console: polls the admin API and renders routes, ramps, parity mismatches and
// recent changes. Plain browser JavaScript, no build step. The admin token is typed in once and kept
// in sessionStorage (gone when the tab closes); it is sent as a bearer token and never rendered.
// Everything from the API is inserted as text (textContent), never as HTML.

const TOKEN_KEY = 'banyan-admin-token';
const POLL_MS = 2000;
const STATS_WINDOW_SEC = 30;

const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem(TOKEN_KEY);
let timer;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k === 'className') node.className = v;
    else if (k === 'testid') node.dataset.testid = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c);
  return node;
}

function say(text, isError = false) {
  const m = $('message');
  m.textContent = text;
  m.className = isError ? 'error' : '';
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${token}` };
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => ({}));
  if (res.status === 401) {
    forget();
    throw new Error('the admin token was refused');
  }
  if (!res.ok) throw new Error(`${data.code ?? res.status}: ${data.message ?? res.statusText}`);
  return data;
}

const pct = (x) => (x === undefined || x === null ? '–' : `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)}%`);
const ms = (x) => (x === undefined || x === null ? '–' : `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`);
const rate = (x) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)}/s`;

function sideCell(s, side) {
  return el('td', { className: side, testid: `${side}-stats` }, `${rate(s.ratePerSec)} · ${pct(s.errorRate)} · ${ms(s.p99Ms)}`);
}

function rampCell(r) {
  const ro = r.rollout;
  if (!ro) return el('td', { className: 'muted', testid: 'ramp' }, 'no rollout');
  const n = ro.steps.length;
  const at = Math.max(0, ro.stepIndex);
  const head = el(
    'div',
    {},
    el('progress', { max: n, value: ro.phase === 'completed' ? n : ro.stepIndex + 1 }),
    ' ',
    el('span', { className: `phase-${ro.phase}`, testid: 'phase' }, ro.phase),
  );
  const lines = [`step ${at + 1}/${n}: ${ro.steps.map((s) => `${s.weight}%${s.approve ? ' (approval)' : ''}`).join(' → ')}`];
  if (ro.phase === 'awaiting-approval' && ro.nextWeight !== undefined) lines.push(`next ${ro.nextWeight}% needs approval`);
  if (ro.phase === 'progressing') lines.push(`${ro.stepRequests}/${ro.minRequests} requests to new this step`);
  if (ro.phase === 'rolled-back' && ro.resumeAt) lines.push(`retry after ${new Date(ro.resumeAt).toLocaleTimeString()}`);
  if (ro.reason) lines.push(ro.reason);
  const gates = el(
    'ul',
    { className: 'gates' },
    ro.gates.map((g) =>
      el('li', {}, `${g.gate}${g.dryRun ? ' (dry run)' : ''}: `, el('span', { className: `verdict-${g.verdict}` }, g.verdict), ` – ${g.detail}`),
    ),
  );
  return el('td', { testid: 'ramp' }, head, lines.map((l) => el('div', { className: 'muted' }, l)), gates);
}

function reasonOrComplain() {
  const reason = $('reason').value.trim();
  if (!reason) {
    say('Enter a reason for the change first (it is recorded in the audit log).', true);
    $('reason').focus();
    return undefined;
  }
  return reason;
}

async function act(label, method, path, extra = {}) {
  const reason = reasonOrComplain();
  if (!reason) return;
  try {
    await api(method, path, { reason, ...extra });
    say(`${label}: done`);
    await refresh();
  } catch (err) {
    say(`${label} failed: ${err.message}`, true);
  }
}

function actionsCell(id) {
  const input = el('input', { type: 'number', min: 0, max: 100, step: 'any', testid: 'weight-input', 'aria-label': `weight for ${id}` });
  const enc = encodeURIComponent(id);
  const btn = (text, testid, onclick) => el('button', { type: 'button', testid, onclick }, text);
  return el(
    'td',
    {},
    el(
      'div',
      { className: 'actions' },
      input,
    btn('Set weight', 'set-weight', () => {
      if (input.value === '') return say('Enter a weight (0-100) first.', true);
      return act(`weight ${input.value}% on ${id}`, 'PUT', `/admin/routes/${enc}/weight`, { weight: Number(input.value) });
    }),
    btn('Approve', 'approve', () => act(`approve ${id}`, 'POST', `/admin/routes/${enc}/approve`)),
    btn('Roll back', 'rollback', () => act(`roll back ${id}`, 'POST', `/admin/routes/${enc}/rollback`)),
    btn('Pause', 'pause', () => act(`pause ${id}`, 'POST', `/admin/routes/${enc}/pause`)),
    btn('Resume', 'resume', () => act(`resume ${id}`, 'POST', `/admin/routes/${enc}/resume`)),
      btn('Kill switch', 'kill', (ev) => act(`kill switch on ${id}`, 'PUT', `/admin/routes/${enc}/kill-switch`, { on: ev.target.dataset.on !== 'true' })),
    ),
  );
}

function decommissionCell(report) {
  if (!report) return el('td', { className: 'muted', testid: 'decommission' }, '–');
  if (report.ready) return el('td', { className: 'new', testid: 'decommission' }, 'ready to decommission legacy');
  return el(
    'td',
    { testid: 'decommission' },
    el('div', {}, 'not ready'),
    el('div', { className: 'muted' }, `legacy idle ${report.daysAtZero.toFixed(1)}/${report.requiredDays} days`),
    el('div', { className: 'muted' }, report.blockers[0] ?? ''),
  );
}

function renderRoutes(routes, decommission) {
  const body = $('routes').tBodies[0];
  const seen = new Set();
  for (const r of routes) {
    const id = r.route.id;
    seen.add(id);
    let row = body.querySelector(`tr[data-route="${CSS.escape(id)}"]`);
    let actions;
    if (row) actions = row.lastElementChild;
    else {
      actions = actionsCell(id);
      row = el('tr', { 'data-route': id, testid: `route-${id}` });
    }
    const v = r.route;
    const bar = el('div', { className: 'bar' }, el('div'));
    bar.firstChild.style.width = `${v.weight}%`;
    const cells = [
      el('td', {}, el('strong', {}, id), el('div', { className: 'muted' }, v.file)),
      el('td', { testid: 'mode' }, v.killSwitch ? `${v.mode} (kill switch)` : v.mode),
      el('td', {}, el('span', { testid: 'weight' }, `${v.weight}%`), bar),
      rampCell(r),
      sideCell(r.stats.legacy, 'legacy'),
      sideCell(r.stats.new, 'new'),
      el(
        'td',
        { testid: 'breakers' },
        el('div', { className: `state-${v.breakers.legacy}` }, `legacy ${v.breakers.legacy}`),
        el('div', { className: `state-${v.breakers.new}` }, `new ${v.breakers.new}`),
      ),
      el('td', { testid: 'shadow' }, r.stats.shadow.compared ? `${pct(r.stats.shadow.matchRate)} of ${r.stats.shadow.compared}` : '–'),
      decommissionCell(decommission.get(id)),
    ];
    row.replaceChildren(...cells, actions);
    const phase = r.rollout?.phase;
    actions.querySelector('[data-testid="approve"]').disabled = phase !== 'awaiting-approval';
    actions.querySelector('[data-testid="pause"]').disabled = !['progressing', 'awaiting-approval', 'rolled-back'].includes(phase);
    actions.querySelector('[data-testid="resume"]').disabled = !['paused', 'failed', 'rolled-back'].includes(phase);
    const kill = actions.querySelector('[data-testid="kill"]');
    kill.dataset.on = String(v.killSwitch);
    kill.textContent = v.killSwitch ? 'Clear kill switch' : 'Kill switch';
    if (!row.parentNode) body.append(row);
  }
  for (const row of [...body.rows]) if (!seen.has(row.dataset.route)) row.remove();
}

function renderMismatches(list) {
  const box = $('mismatches');
  if (list.length === 0) return box.replaceChildren(el('p', { className: 'muted' }, 'No mismatches recorded.'));
  box.replaceChildren(
    ...list.map((m) =>
      el(
        'div',
        { className: 'mismatch', testid: 'mismatch' },
        el('div', {}, el('strong', {}, m.routeId), ` ${m.request.method} ${m.request.url} `, el('span', { className: 'muted' }, new Date(m.at).toLocaleTimeString())),
        el('div', { className: 'muted' }, `status legacy ${m.legacy.status} / new ${m.candidate.status}`),
        el(
          'table',
          {},
          el('tr', {}, el('th', {}, 'field'), el('th', { className: 'legacy' }, 'legacy'), el('th', { className: 'new' }, 'new')),
          m.fields.map((f) => el('tr', { testid: 'mismatch-field' }, el('td', {}, f.path), el('td', {}, f.legacy), el('td', {}, f.candidate))),
        ),
      ),
    ),
  );
}

function renderAudit(events) {
  $('audit').replaceChildren(
    ...events.map((e) =>
      el(
        'li',
        { testid: 'audit-event' },
        el('span', { className: 'muted' }, `${new Date(e.at).toLocaleTimeString()} `),
        el('strong', {}, `${e.routeId} ${e.action}`),
        ` ${e.from.weight}% → ${e.to.weight}% by ${e.actor}: ${e.reason}`,
      ),
    ),
  );
}

async function refresh() {
  const [routes, mismatches, audit, decommission] = await Promise.all([
    api('GET', `/admin/routes?windowSec=${STATS_WINDOW_SEC}`),
    api('GET', '/admin/mismatches?limit=10'),
    api('GET', '/admin/audit?limit=15'),
    api('GET', '/admin/decommission'),
  ]);
  renderRoutes(routes.routes, new Map(decommission.reports.map((d) => [d.routeId, d])));
  renderMismatches(mismatches.mismatches);
  renderAudit(audit.events);
  $('updated').textContent = `updated ${new Date().toLocaleTimeString()}${routes.config.ok ? '' : ' · route config reload FAILED: ' + routes.config.issues.join('; ')}`;
}

async function poll() {
  clearTimeout(timer);
  if (!token) return;
  try {
    await refresh();
    if ($('message').className === 'error' && $('message').textContent.startsWith('Cannot reach')) say('');
  } catch (err) {
    say(`Cannot reach the admin API: ${err.message}`, true);
  }
  if (token) timer = setTimeout(poll, POLL_MS);
}

function show() {
  const connected = Boolean(token);
  $('login').hidden = connected;
  $('session').hidden = !connected;
  $('app').hidden = !connected;
}

function forget() {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(timer);
  show();
}

$('login').addEventListener('submit', (ev) => {
  ev.preventDefault();
  token = $('token').value.trim();
  $('token').value = '';
  sessionStorage.setItem(TOKEN_KEY, token);
  show();
  say('');
  void poll();
});
$('logout').addEventListener('click', () => {
  forget();
  say('Token forgotten.');
});

show();
void poll();
