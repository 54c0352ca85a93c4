// Trunkline dashboard: environments, DORA figures and deployments from the ops API, kept live by
// GET /api/events; operator actions call promotion-service's API. No framework, no build step.
// Every API call carries an access token as `Authorization: Bearer`. How it gets one, /dashboard/config
// says: with an OIDC provider the person signs in there (authorization code + PKCE S256, as the provider's
// public client: no secret in the page), the tokens are kept in sessionStorage (they last as long as the
// tab) and refreshed before they expire; in local mode the person pastes the token bin/trunkline up printed.
// EventSource cannot send that header, so the live feed reads GET /api/events as a stream through fetch
// and parses the server-sent events itself.
'use strict';

const PROMOTION_URL = (document.querySelector('meta[name="trunkline-promotion-url"]')?.content || '').replace(/\/$/, '');
const PENDING = ['QUEUED', 'WAITING_APPROVAL', 'IN_PROGRESS'];
const state = { filters: {}, next: null, rows: new Map(), deploymentId: null, environmentsTimer: null, stream: null };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const shortCommit = (commit) => (commit ? commit.slice(0, 10) : '—');
const badge = (s) => el('span', { class: `state s-${s}` }, s.replace('_', ' ').toLowerCase());

function time(instant) {
  if (!instant) return '—';
  const date = new Date(instant);
  return el('time', { datetime: instant, title: date.toISOString() }, relative(date));
}

function relative(date) {
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

const TOKEN_KEY = 'trunkline.token';
const accessToken = () => sessionStorage.getItem(TOKEN_KEY) || '';

function withToken(headers) {
  const token = accessToken();
  return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}

// ---- signing in (PRODUCT.md §7): local mode's pasted token, or the OIDC provider's sign-in ----

const auth = { mode: 'local', roleClaim: 'realm_access/roles', issuer: null, clientId: null, provider: null, refreshTimer: null };
const OIDC = { refresh: 'trunkline.refresh-token', id: 'trunkline.id-token', expires: 'trunkline.expires-at',
  pending: 'trunkline.sign-in', signedOut: 'trunkline.signed-out', redirected: 'trunkline.redirected-at' };
const oidc = () => auth.mode === 'oidc';
const redirectUri = () => `${location.origin}/`;

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

// The claims of a JWT (not verified: only to show who is signed in and which buttons apply; the APIs verify).
function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
  } catch (e) {
    return null;
  }
}

// The roles the token grants (admin ⊇ operator ⊇ viewer), or null when the token cannot be read.
function roles() {
  const payload = claims(accessToken());
  if (!payload) return null;
  let value = payload;
  for (const name of auth.roleClaim.split('/')) value = value && typeof value === 'object' ? value[name.replace(/^"|"$/g, '')] : undefined;
  const granted = new Set(Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : []);
  if (granted.has('admin')) granted.add('operator');
  if (granted.has('operator')) granted.add('viewer');
  return granted;
}

// Operator buttons are pressable when the token may be an operator's (an unreadable token: the API decides).
const mayOperate = () => { const granted = roles(); return !granted || granted.has('operator'); };

async function loadAuthConfig() {
  try {
    const response = await fetch('/dashboard/config', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`/dashboard/config answered ${response.status}`);
    Object.assign(auth, await response.json());
    if (auth.mode === 'oidc' && !auth.issuer) auth.mode = 'local'; // a provider known by its key only: paste a token
  } catch (e) {
    notify(`Sign-in settings unavailable (${e.message}): paste an access token above.`, true);
    auth.mode = 'local';
  }
}

async function provider() {
  if (!auth.provider) {
    const response = await fetch(`${auth.issuer}/.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`the provider's discovery document answered ${response.status}`);
    auth.provider = await response.json();
  }
  return auth.provider;
}

// To the provider's login page; the answer comes back to / with a code only this tab's verifier redeems.
async function signIn() {
  const metadata = await provider();
  const verifier = randomString();
  const state = randomString();
  const nonce = randomString();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(OIDC.pending, JSON.stringify({ state, nonce, verifier, returnTo: location.pathname + location.search }));
  sessionStorage.removeItem(OIDC.signedOut);
  const query = new URLSearchParams({ response_type: 'code', client_id: auth.clientId, redirect_uri: redirectUri(),
    scope: 'openid', state, nonce, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(`${metadata.authorization_endpoint}?${query}`);
}

async function tokenRequest(parameters) {
  const metadata = await provider();
  const response = await fetch(metadata.token_endpoint, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ client_id: auth.clientId, ...parameters }) });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error_description || body.error || `the token endpoint answered ${response.status}`);
  return body;
}

function keepTokens(tokens) {
  sessionStorage.setItem(TOKEN_KEY, tokens.access_token);
  if (tokens.refresh_token) sessionStorage.setItem(OIDC.refresh, tokens.refresh_token);
  if (tokens.id_token) sessionStorage.setItem(OIDC.id, tokens.id_token);
  sessionStorage.setItem(OIDC.expires, String(Date.now() + (tokens.expires_in || 300) * 1000));
  scheduleRefresh();
  showAccount();
}

function forgetTokens() {
  for (const key of [TOKEN_KEY, OIDC.refresh, OIDC.id, OIDC.expires]) sessionStorage.removeItem(key);
  clearTimeout(auth.refreshTimer);
}

// The provider's answer on /?code=…&state=…: checked against this tab's pending sign-in, then redeemed.
async function completeSignIn(parameters) {
  const pending = JSON.parse(sessionStorage.getItem(OIDC.pending) || 'null');
  sessionStorage.removeItem(OIDC.pending);
  history.replaceState(null, '', pending ? pending.returnTo : '/');
  if (!pending || parameters.get('state') !== pending.state) throw new Error('the answer does not belong to a sign-in of this tab (state)');
  if (parameters.get('error')) throw new Error(parameters.get('error_description') || parameters.get('error'));
  const metadata = await provider();
  if (parameters.get('iss') && parameters.get('iss') !== metadata.issuer) throw new Error('the answer names another issuer');
  const tokens = await tokenRequest({ grant_type: 'authorization_code', code: parameters.get('code'),
    redirect_uri: redirectUri(), code_verifier: pending.verifier });
  if (tokens.id_token && claims(tokens.id_token)?.nonce !== pending.nonce) throw new Error('the ID token does not carry this sign-in\'s nonce');
  keepTokens(tokens);
}

// Refreshes 30 s before expiry; without a refresh token (or when the provider refuses it), signs in again.
function scheduleRefresh() {
  clearTimeout(auth.refreshTimer);
  const expiresAt = Number(sessionStorage.getItem(OIDC.expires) || 0);
  auth.refreshTimer = setTimeout(refreshTokens, Math.max(expiresAt - Date.now() - 30000, 0));
}

async function refreshTokens() {
  const refresh = sessionStorage.getItem(OIDC.refresh);
  try {
    if (!refresh) throw new Error('no refresh token');
    keepTokens(await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh }));
    return true;
  } catch (e) {
    forgetTokens();
    signInAgain();
    return false;
  }
}

// Back to the provider's login page, unless that just happened (a provider whose tokens the API refuses
// must not send the tab round in circles): then the person presses Sign in.
function signInAgain() {
  const last = Number(sessionStorage.getItem(OIDC.redirected) || 0);
  if (Date.now() - last < 15000) {
    askForToken(401);
    return;
  }
  sessionStorage.setItem(OIDC.redirected, String(Date.now()));
  signIn().catch((e) => notify(`Sign-in unavailable: ${e.message}`, true));
}

async function signOut() {
  const idToken = sessionStorage.getItem(OIDC.id);
  forgetTokens();
  sessionStorage.setItem(OIDC.signedOut, 'true');
  try {
    const metadata = await provider();
    if (metadata.end_session_endpoint) {
      const query = new URLSearchParams({ client_id: auth.clientId, post_logout_redirect_uri: redirectUri() });
      if (idToken) query.set('id_token_hint', idToken);
      location.assign(`${metadata.end_session_endpoint}?${query}`);
      return;
    }
  } catch (e) { /* signed out here at least */ }
  location.assign('/');
}

function showAccount() {
  if (!oidc()) return;
  const payload = claims(accessToken());
  const granted = roles();
  document.getElementById('who').textContent = payload
    ? `${payload.preferred_username || payload.email || payload.sub}${granted ? ` (${['admin', 'operator', 'viewer'].find((r) => granted.has(r)) || 'no role'})` : ''}`
    : '';
  document.getElementById('sign-in').hidden = Boolean(payload);
  document.getElementById('sign-out').hidden = !payload;
}

// Sets the page up for the mode; with a provider, finishes a sign-in coming back or starts one.
// Resolves to false when the tab is on its way to the provider.
async function initAuth() {
  await loadAuthConfig();
  if (!oidc()) {
    const token = document.getElementById('token');
    document.getElementById('token-field').hidden = false;
    token.value = accessToken();
    token.addEventListener('change', () => {
      const value = token.value.trim().replace(/^Bearer\s+/i, '');
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
      load();
    });
    return true;
  }
  document.getElementById('account').hidden = false;
  document.getElementById('sign-in').addEventListener('click', () => signIn().catch((e) => notify(`Sign-in unavailable: ${e.message}`, true)));
  document.getElementById('sign-out').addEventListener('click', signOut);
  const parameters = new URLSearchParams(location.search);
  if (parameters.has('state') && (parameters.has('code') || parameters.has('error'))) {
    try {
      await completeSignIn(parameters);
    } catch (e) {
      forgetTokens();
      showAccount();
      notify(`Sign-in failed: ${e.message}. Press Sign in to try again.`, true);
      return false;
    }
  }
  if (!accessToken()) {
    showAccount();
    if (sessionStorage.getItem(OIDC.signedOut)) {
      askForToken();
    } else {
      signInAgain();
    }
    return false;
  }
  if (Number(sessionStorage.getItem(OIDC.expires) || 0) - Date.now() < 30000) return refreshTokens();
  scheduleRefresh();
  showAccount();
  return true;
}

function askForToken(status) {
  const live = document.getElementById('live');
  live.textContent = 'signed out';
  live.classList.remove('on');
  if (oidc()) {
    document.getElementById('sign-in').hidden = false;
    if (status === 403) {
      notify('Your account does not have the viewer role: ask an administrator of the identity provider for it.', true);
    } else {
      notify(status === 401
        ? 'Your sign-in was refused (expired, or not for Trunkline): press Sign in to sign in again.'
        : 'Signed out. Press Sign in to see the environments.', true);
    }
  } else if (status === 403) {
    notify('This token does not grant the viewer role: ask for one that does.', true);
  } else {
    notify(status === 401
      ? 'The access token was refused (expired or not for Trunkline): paste a new one above.'
      : 'Paste an access token above to see the environments (local stack: the one bin/trunkline up printed, kept in .trunkline/admin.token).', true);
  }
}

// A failed load says why, unless the token was refused: askForToken has said that already.
const failed = (prefix) => (e) => { if (e.status !== 401 && e.status !== 403) notify(`${prefix}${e.message}`, true); };

async function api(path) {
  const response = await fetch(path, { headers: withToken({ Accept: 'application/json' }) });
  if (response.status === 401 || response.status === 403) askForToken(response.status);
  if (!response.ok) throw Object.assign(new Error(`${path} answered ${response.status}`), { status: response.status });
  return response.json();
}

function notify(message, error = false) {
  const notice = document.getElementById('notice');
  notice.textContent = message;
  notice.className = error ? 'notice error' : 'notice';
  notice.hidden = false;
}

// ---- operator actions (promotion-service, PRODUCT.md §5) ----

async function command(label, path, body) {
  const headers = withToken({ 'Content-Type': 'application/json', Accept: 'application/json' });
  try {
    const response = await fetch(PROMOTION_URL + path, { method: 'POST', headers, body: JSON.stringify(body || {}) });
    if (response.ok) {
      notify(`${label}: done.`);
    } else if (response.status === 401 || response.status === 403) {
      notify(response.status === 403
        ? `${label} refused (403): your account does not have the operator role.`
        : `${label} refused (401): promotion-service did not accept your token; ${oidc() ? 'sign in again' : 'paste a new one'}.`, true);
    } else {
      let detail = `${response.status}`;
      try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch (e) { /* not JSON */ }
      notify(`${label} refused: ${detail}`, true);
    }
  } catch (e) {
    notify(`${label} failed: promotion-service could not be reached (${PROMOTION_URL}).`, true);
  }
}

function repoPath(deployment) {
  const [workspace, slug] = deployment.repository.split('/');
  return `/api/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(slug)}/environments/${encodeURIComponent(deployment.environment)}`;
}

function actionsFor(deployment, { withRedeploy = false } = {}) {
  const buttons = [];
  if (deployment.state === 'WAITING_APPROVAL') {
    buttons.push(el('button', { type: 'button', class: 'primary', 'data-action': 'approve', 'data-deployment': deployment.id,
      onclick: () => command('Approve', `/api/deployments/${deployment.id}/approve`) },
    'Approve ', el('span', { class: 'visually-hidden' }, `${deployment.environment} ${shortCommit(deployment.commit)}`)));
  }
  if (PENDING.includes(deployment.state)) {
    buttons.push(el('button', { type: 'button', class: 'danger', 'data-action': 'cancel', 'data-deployment': deployment.id,
      onclick: () => confirm(`Cancel the deployment of ${shortCommit(deployment.commit)} to ${deployment.environment}?`)
        && command('Cancel', `/api/deployments/${deployment.id}/cancel`) },
    'Cancel ', el('span', { class: 'visually-hidden' }, `${deployment.environment} ${shortCommit(deployment.commit)}`)));
  }
  if (withRedeploy && deployment.state === 'SUCCEEDED' && deployment.operation.toUpperCase() === 'DEPLOY' && deployment.commit) {
    buttons.push(el('button', { type: 'button', 'data-action': 'redeploy', 'data-deployment': deployment.id,
      onclick: () => confirm(`Deploy ${shortCommit(deployment.commit)} to ${deployment.environment} again? A rollback holds the environment until released.`)
        && command('Redeploy', `${repoPath(deployment)}/redeploy`, { commit: deployment.commit }) },
    'Redeploy this commit'));
  }
  return operatorActions(buttons);
}

// Operator commands need the operator role: without it the buttons show, disabled, and say why.
function operatorActions(buttons) {
  if (!buttons.length) return null;
  if (mayOperate()) return el('div', { class: 'actions' }, buttons);
  for (const button of buttons) {
    button.disabled = true;
    button.title = 'Needs the operator role';
  }
  return el('div', { class: 'actions' }, buttons, el('span', { class: 'muted needs-role' }, 'needs the operator role'));
}

// ---- environments ----

async function loadEnvironments() {
  const repositories = await api('/api/environments');
  const container = document.getElementById('environments');
  container.replaceChildren();
  if (!repositories.length) container.append(el('p', { class: 'muted' }, 'No deployment has been reported yet.'));
  for (const repository of repositories) {
    container.append(el('article', { class: 'repository', 'aria-label': repository.repository },
      el('h3', {}, repository.repository, ' ', el('span', { class: 'muted' }, `(${repository.provider})`)),
      el('div', { class: 'envs' }, repository.environments.map(environmentCard))));
  }
}

function environmentCard(environment) {
  const shown = environment.current || environment.latest;
  const colour = environment.latest ? `s-${environment.latest.state}` : '';
  return el('section', { class: `env ${colour}`, 'data-environment': environment.name, 'aria-label': `environment ${environment.name}` },
    el('h4', {}, environment.name, environment.latest ? badge(environment.latest.state) : null),
    environment.pullRequestId ? el('p', {}, `Pull request #${environment.pullRequestId}`) : null,
    environment.current
      ? el('p', {}, 'Runs ', el('a', { href: `/deployments/${environment.current.id}` }, el('code', { class: 'commit' }, shortCommit(environment.current.commit))),
        ' since ', time(environment.current.updatedAt))
      : el('p', { class: 'muted' }, 'Nothing running'),
    shown && shown.environmentUrl ? el('p', {}, el('a', { href: shown.environmentUrl, rel: 'noopener' }, shown.environmentUrl)) : null,
    shown && shown.targetUrl ? el('p', {}, el('a', { href: shown.targetUrl, rel: 'noopener', 'data-link': 'target-run' },
      'Target run', el('span', { class: 'visually-hidden' }, ` of ${environment.name}`))) : null,
    environment.pending.length ? el('ul', {}, environment.pending.map((deployment) => el('li', {},
      badge(deployment.state), ' ', el('a', { href: `/deployments/${deployment.id}` }, el('code', {}, shortCommit(deployment.commit))),
      deployment.reason ? ` — ${deployment.reason}` : '', actionsFor(deployment)))) : null,
    held(environment) ? operatorActions([el('button', { type: 'button', 'data-action': 'release',
      onclick: () => command('Release', `${repoPath(environment.latest)}/release`) },
    'Release hold ', el('span', { class: 'visually-hidden' }, environment.name))]) : null);
}

// a rollback holds the environment: later deployments wait with a reason that says so
const held = (environment) => environment.pending.some((deployment) => /\bheld\b|\bhold\b/i.test(deployment.reason || ''));

function refreshEnvironmentsSoon() {
  clearTimeout(state.environmentsTimer);
  state.environmentsTimer = setTimeout(() => loadEnvironments().catch(() => {}), 300);
}

// ---- DORA ----

async function loadDora() {
  const form = document.getElementById('dora-form');
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) query.set(name, value);
  const container = document.getElementById('dora');
  try {
    const dora = await api(`/api/metrics/dora?${query}`);
    const rate = dora.changeFailureRate.rate;
    container.replaceChildren(
      figure('Deployment frequency', `${dora.deploymentFrequency.perDay.toFixed(2)} / day`,
        `${dora.deploymentFrequency.deployments} in ${dora.days} days`, bars(dora.daily.map((d) => d.deployments))),
      figure('Lead time for changes', duration(dora.leadTimeForChanges.medianSeconds),
        `median; p90 ${duration(dora.leadTimeForChanges.p90Seconds)}`, bars(dora.daily.map((d) => d.medianLeadTimeSeconds || 0))),
      figure('Change failure rate', rate === null ? '—' : `${Math.round(rate * 100)} %`,
        `${dora.changeFailureRate.failedChanges} of ${dora.changeFailureRate.deployments} deployments`, bars(dora.daily.map((d) => d.failures), 'var(--fail)')),
      figure('Time to restore', duration(dora.timeToRestore.medianSeconds),
        `median of ${dora.timeToRestore.restored} restored of ${dora.timeToRestore.failures} failures`, null));
  } catch (e) {
    container.replaceChildren(el('p', { class: 'notice error' }, `DORA metrics unavailable: ${e.message}`));
  }
}

function figure(title, value, note, chart) {
  return el('div', { class: 'figure', 'data-figure': title },
    el('h3', {}, title), el('div', { class: 'value' }, value), el('div', { class: 'muted' }, note), chart);
}

function bars(values, colour = 'var(--run)') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${values.length * 4} 40`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const max = Math.max(...values, 1);
  values.forEach((value, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const height = value ? Math.max(2, (value / max) * 38) : 0;
    rect.setAttribute('x', i * 4);
    rect.setAttribute('y', 40 - height);
    rect.setAttribute('width', 3);
    rect.setAttribute('height', height);
    rect.setAttribute('fill', colour);
    svg.append(rect);
  });
  return svg;
}

// ---- deployments ----

function deploymentRow(deployment) {
  return el('tr', { 'data-id': deployment.id },
    el('td', { 'data-label': 'State' }, badge(deployment.state)),
    el('td', { 'data-label': 'Repository' }, deployment.repository),
    el('td', { 'data-label': 'Environment' }, deployment.environment,
      deployment.pullRequestId ? el('span', { class: 'muted' }, ` (PR #${deployment.pullRequestId})`) : null),
    el('td', { 'data-label': 'Commit' }, el('a', { href: `/deployments/${deployment.id}` }, el('code', {}, shortCommit(deployment.commit)))),
    el('td', { 'data-label': 'Reason' }, deployment.reason || '', deployment.reportRefusal
      ? el('div', { class: 'muted' }, `Bitbucket refused an update: ${deployment.reportRefusal}`) : null),
    el('td', { 'data-label': 'Updated' }, time(deployment.updatedAt)));
}

function matchesFilters(deployment) {
  const f = state.filters;
  return (!f.repository || f.repository === deployment.repository)
    && (!f.environment || f.environment === deployment.environment)
    && (!f.state || f.state === deployment.state);
}

async function loadDeployments(append = false) {
  const query = new URLSearchParams({ limit: '25' });
  for (const [name, value] of Object.entries(state.filters)) if (value) query.set(name, value);
  if (append && state.next) query.set('after', state.next);
  const page = await api(`/api/deployments?${query}`);
  const body = document.getElementById('deployments');
  if (!append) { body.replaceChildren(); state.rows.clear(); }
  for (const deployment of page.items) {
    const row = deploymentRow(deployment);
    state.rows.set(deployment.id, row);
    body.append(row);
  }
  state.next = page.next ? new URL(page.next, location.origin).searchParams.get('after') : null;
  document.getElementById('more').hidden = !state.next;
}

function showChange(deployment) {
  const body = document.getElementById('deployments');
  const existing = state.rows.get(deployment.id);
  if (!matchesFilters(deployment)) return;
  const row = deploymentRow(deployment);
  row.classList.add('fresh');
  state.rows.set(deployment.id, row);
  if (existing) existing.replaceWith(row); else body.prepend(row);
}

// ---- one deployment's page ----

async function loadDeploymentPage(id) {
  const page = document.getElementById('deployment-page');
  try {
    const detail = await api(`/api/deployments/${encodeURIComponent(id)}`);
    const d = detail.deployment;
    document.title = `${d.environment} ${shortCommit(d.commit)} — Trunkline`;
    page.replaceChildren(
      el('p', {}, el('a', { href: '/' }, '← All environments')),
      el('h1', {}, `Deployment to ${d.environment} `, badge(d.state)),
      el('div', { class: 'detail' },
        el('dl', {},
          el('dt', {}, 'Repository'), el('dd', {}, `${d.repository} (${d.provider})`),
          el('dt', {}, 'Commit'), el('dd', {}, el('code', { class: 'commit' }, d.commit || '—')),
          el('dt', {}, 'Ref'), el('dd', {}, d.ref || '—'),
          d.pullRequestId ? [el('dt', {}, 'Pull request'), el('dd', {}, `#${d.pullRequestId}`)] : null,
          el('dt', {}, 'Operation'), el('dd', {}, d.operation.toLowerCase()),
          el('dt', {}, 'Triggered by'), el('dd', {}, d.triggeredBy || '—'),
          el('dt', {}, 'Reason'), el('dd', {}, d.reason || '—'),
          d.targetUrl ? [el('dt', {}, 'Target run'), el('dd', {}, el('a', { href: d.targetUrl, rel: 'noopener' }, d.targetUrl))] : null,
          d.environmentUrl ? [el('dt', {}, 'Environment'), el('dd', {}, el('a', { href: d.environmentUrl, rel: 'noopener' }, d.environmentUrl))] : null,
          el('dt', {}, 'Bitbucket'), el('dd', {}, reporting(detail.reporting))),
        actionsFor(d, { withRedeploy: true })),
      detail.verification ? verificationSection(detail.verification) : null,
      el('h2', {}, 'Timeline'),
      el('ol', { class: 'timeline' }, detail.timeline.map((entry) => el('li', { class: `s-${entry.state}` },
        badge(entry.state), ' ', time(entry.at), entry.reason ? el('div', {}, entry.reason) : null))));
  } catch (e) {
    if (e.status === 401 || e.status === 403) return; // signed out: askForToken said so
    page.replaceChildren(el('p', {}, el('a', { href: '/' }, '← All environments')),
      el('h1', {}, 'Deployment not found'), el('p', { class: 'muted' }, `No deployment ${id} has been reported.`));
  }
}

// The environment's verify checks: each check's outcome, newman's summary and first failures for a collection.
function verificationSection(v) {
  const heading = v.outcome === 'running' ? 'Verification running'
    : v.outcome === 'passed' ? 'Verification passed' : `Verification failed: ${v.failedCheck || 'a check'}`;
  return el('section', { class: `verification v-${v.outcome}`, 'data-verification': v.outcome },
    el('h2', {}, heading),
    el('ul', { class: 'checks' }, (v.checks || []).map((c) => el('li', { class: `check c-${c.outcome}`, 'data-check': c.name },
      el('strong', {}, c.name), ` (${c.type}) — ${c.outcome}`,
      c.attempts ? el('span', { class: 'muted' }, ` after ${c.attempts} ${c.type === 'http' ? 'attempt(s)' : 'run(s)'}`) : null,
      c.detail ? el('div', {}, c.detail) : null,
      c.summary ? el('div', { class: 'summary' },
        `${c.summary.requests} request(s), ${c.summary.requestsFailed} failed; `
          + `${c.summary.assertions - c.summary.assertionsFailed} of ${c.summary.assertions} assertion(s) passed`) : null,
      c.summary && c.summary.failures ? el('ol', { class: 'failures' },
        c.summary.failures.map((f) => el('li', {}, el('code', {}, f.name), ` ${f.message}`))) : null))));
}

function reporting(r) {
  if (r.status === 'refused') return `refused: ${r.refusal}`;
  if (r.status === 'pending') return `${r.pendingUpdates} update(s) waiting${r.lastError ? ` — ${r.lastError}` : ''}`;
  return 'commit status reported';
}

// ---- live feed ----

function onDeploymentEvent(data) {
  const deployment = JSON.parse(data);
  if (state.deploymentId) {
    if (deployment.id === state.deploymentId) loadDeploymentPage(state.deploymentId);
    return;
  }
  showChange(deployment);
  refreshEnvironmentsSoon();
}

// Server-sent events over fetch (so the request carries the token): reconnects with back-off, stops on 401/403.
async function connect() {
  const live = document.getElementById('live');
  if (state.stream) state.stream.abort();
  const stream = new AbortController();
  state.stream = stream;
  let delay = 1000;
  while (!stream.signal.aborted) {
    try {
      const response = await fetch('/api/events', {
        headers: withToken({ Accept: 'text/event-stream' }), cache: 'no-store', signal: stream.signal });
      if (response.status === 401 || response.status === 403) {
        askForToken(response.status);
        return;
      }
      if (!response.ok || !response.body) throw new Error(`/api/events answered ${response.status}`);
      live.textContent = 'live';
      live.classList.add('on');
      delay = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = /\r?\n\r?\n/.exec(buffer))) {
          const block = buffer.slice(0, end.index);
          buffer = buffer.slice(end.index + end[0].length);
          const data = block.split(/\r?\n/).filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).replace(/^ /, '')).join('\n');
          if (data) onDeploymentEvent(data);
        }
      }
    } catch (e) {
      if (stream.signal.aborted) return;
    }
    live.textContent = 'reconnecting…';
    live.classList.remove('on');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15000);
  }
}

// Loads what the page shows and opens the live feed; without a token, asks for one and calls nothing.
function load() {
  if (!accessToken()) {
    if (state.stream) state.stream.abort();
    askForToken();
    return;
  }
  document.getElementById('notice').hidden = true;
  if (state.deploymentId) {
    loadDeploymentPage(state.deploymentId);
  } else {
    loadEnvironments().catch(failed('Environments unavailable: '));
    loadDora();
    loadDeployments().catch(failed('Deployments unavailable: '));
  }
  connect();
}

async function start() {
  if (!await initAuth()) return;
  const match = location.pathname.match(/^\/deployments\/([^/]+)$/);
  if (match) {
    state.deploymentId = decodeURIComponent(match[1]);
    document.getElementById('overview').hidden = true;
    document.getElementById('deployment-page').hidden = false;
  } else {
    document.getElementById('dora-form').addEventListener('submit', (event) => { event.preventDefault(); loadDora(); });
    document.getElementById('deployment-filters').addEventListener('submit', (event) => {
      event.preventDefault();
      state.filters = Object.fromEntries(new FormData(event.target));
      loadDeployments().catch(failed(''));
    });
    document.getElementById('more').addEventListener('click', () => loadDeployments(true).catch(failed('')));
  }
  load();
}

document.addEventListener('DOMContentLoaded', start);
