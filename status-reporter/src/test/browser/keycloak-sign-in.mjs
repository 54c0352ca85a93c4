// The dashboard signing in through a real Keycloak, in Debian's Chromium driven by playwright-core.
// Run by e2e-tests' KeycloakIT, which starts Keycloak (realm export infra/keycloak/trunkline-realm.json),
// promotion-service and status-reporter in OIDC mode and passes what to expect in EXPECTED. Checks that
// the dashboard sends a person to Keycloak's login page, comes back signed in (authorization code + PKCE),
// shows the data, keeps a viewer's operator buttons disabled, refreshes its token without a new login,
// signs out, and that an operator's approval reaches promotion-service with the token. Prints PASS at the
// end; any failed check, page error or console error of the dashboard exits non-zero.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import path from 'node:path';

const base = process.env.BASE_URL;
const keycloak = process.env.KEYCLOAK_URL;
const shots = process.env.SCREENSHOT_DIR;
const expected = JSON.parse(process.env.EXPECTED);
const timeout = 30_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const problems = [];
const authorizationRequests = [];
const tokenRequests = [];

async function logIn(page, username) {
  await page.waitForURL((url) => url.href.startsWith(`${keycloak}/realms/trunkline/protocol/openid-connect/auth`));
  const request = new URL(page.url());
  assert.equal(request.searchParams.get('response_type'), 'code');
  assert.equal(request.searchParams.get('client_id'), 'trunkline-dashboard');
  assert.equal(request.searchParams.get('code_challenge_method'), 'S256');
  assert.match(request.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(request.searchParams.get('state'), 'a state');
  await page.fill('#username', username);
  await page.fill('#password', username);
  await page.click('#kc-login');
  await page.waitForURL((url) => url.href.startsWith(base));
  await page.locator('#who', { hasText: `${username} (${username})` }).waitFor();
  assert.equal(new URL(page.url()).search, '', 'the code and state are gone from the address bar');
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('console', (message) => {
    // only the dashboard's own errors count (not Keycloak's pages); a refused command is shown, not an error
    if (message.type() === 'error' && page.url().startsWith(base) && !/status of 404/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url().includes('/protocol/openid-connect/auth')) authorizationRequests.push(request.url());
    if (request.url().includes('/protocol/openid-connect/token') && request.method() === 'POST') {
      tokenRequests.push(new URLSearchParams(request.postData() || '').get('grant_type'));
    }
  });

  // a viewer: the dashboard sends the browser to Keycloak's login page and comes back signed in
  await page.goto(`${base}/`);
  await logIn(page, 'viewer');
  assert.deepEqual(tokenRequests, ['authorization_code']);
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
  assert.ok(await page.evaluate(() => sessionStorage.getItem('trunkline.token')), 'the access token is kept in sessionStorage');
  assert.equal(await page.locator('#token-field').isHidden(), true, 'no token to paste with a provider');
  console.log('sign-in: Keycloak login page, back signed in as viewer');

  // the data, through the viewer's token
  await page.locator('#live.on').waitFor();
  const repository = page.locator(`article[aria-label="${expected.repository}"]`);
  await repository.locator('section[data-environment="staging"] code.commit', { hasText: expected.stagingCommit }).waitFor();
  assert.match(await repository.locator('section[data-environment="production"]').innerText(), /waiting approval/);
  console.log('data: staging runs', expected.stagingCommit, '- production waits for approval');

  // a viewer cannot press an operator's buttons, and is told why
  const approve = page.locator(`button[data-action="approve"][data-deployment="${expected.waitingDeployment}"]`);
  assert.equal(await approve.isDisabled(), true, 'approve is disabled for a viewer');
  assert.equal(await page.locator(`button[data-action="cancel"][data-deployment="${expected.waitingDeployment}"]`).isDisabled(), true);
  await repository.locator('section[data-environment="production"] .needs-role', { hasText: 'needs the operator role' }).waitFor();
  await page.screenshot({ path: path.join(shots, 'keycloak-viewer.png'), fullPage: true });
  console.log('viewer: approve and cancel disabled, "needs the operator role"');

  // a token about to expire is refreshed with the refresh token, without a new login
  const before = await page.evaluate(() => sessionStorage.getItem('trunkline.token'));
  const logins = authorizationRequests.length;
  await page.evaluate(() => sessionStorage.setItem('trunkline.expires-at', String(Date.now())));
  await page.reload();
  await page.locator('#who', { hasText: 'viewer (viewer)' }).waitFor();
  await page.locator('#live.on').waitFor();
  const after = await page.evaluate(() => sessionStorage.getItem('trunkline.token'));
  assert.notEqual(after, before, 'a new access token');
  assert.equal(authorizationRequests.length, logins, 'no new login');
  assert.deepEqual(tokenRequests, ['authorization_code', 'refresh_token']);
  console.log('refresh: a new access token from the refresh token, no new login');

  // sign out: the provider's session ends, the tab forgets the tokens and does not sign in again by itself
  await page.click('#sign-out');
  await page.waitForURL((url) => url.href.startsWith(base));
  await page.locator('#notice', { hasText: 'Signed out' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('trunkline.token')), null);
  assert.equal(await page.locator('#sign-in').isVisible(), true);
  console.log('sign-out: tokens forgotten, Sign in offered');

  // an operator signs in (Keycloak asks again: its session ended) and may press approve: the token reaches
  // promotion-service, which knows no such deployment (status-reporter's data came straight from the topic)
  await page.click('#sign-in');
  await logIn(page, 'operator');
  await approve.waitFor();
  assert.equal(await approve.isDisabled(), false, 'approve is enabled for an operator');
  await approve.click();
  const notice = page.locator('#notice', { hasText: 'Approve refused' });
  await notice.waitFor();
  const text = await notice.innerText();
  assert.doesNotMatch(text, /\b40[13]\b|operator role|token/, `promotion-service accepted the operator's token: ${text}`);
  await page.screenshot({ path: path.join(shots, 'keycloak-operator.png'), fullPage: true });
  console.log('operator: approve enabled; promotion-service took the token and answered:', text);

  assert.deepEqual(problems, [], 'no console errors');
  console.log('PASS');
} catch (error) {
  console.log(`FAIL: ${error.stack || error}`);
  if (problems.length) console.log(problems.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}
