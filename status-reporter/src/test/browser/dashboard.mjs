// The dashboard as a person sees it, in Debian's Chromium driven by playwright-core.
// Run by DashboardBrowserIT, which starts status-reporter with real data and passes what to expect
// in EXPECTED; prints READY_FOR_LIVE_DEPLOYMENT when the test should publish a new deployment, and
// PASS at the end. Any failed check, page error or console error exits non-zero.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import path from 'node:path';

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOT_DIR;
const expected = JSON.parse(process.env.EXPECTED);
const timeout = 20_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const problems = [];
function watch(page) {
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  watch(page);

  // signing in: without a token the page asks for one and calls nothing; the pasted token opens it
  await page.goto(`${base}/`);
  await page.locator('#notice', { hasText: 'Paste an access token' }).waitFor();
  await page.fill('#token', expected.operatorToken);
  await page.locator('#token').press('Tab');
  console.log('sign-in: the pasted token opened the dashboard');

  // the overview: an environment's commit and state
  await page.locator('#live.on').waitFor();
  const repository = page.locator(`article[aria-label="${expected.repository}"]`);
  const stagingCard = repository.locator('section[data-environment="staging"]');
  await stagingCard.locator('code.commit', { hasText: expected.stagingCommit }).waitFor();
  assert.match(await stagingCard.locator('.state').first().innerText(), /succeeded/);
  assert.equal(await stagingCard.locator('a[data-link="target-run"]').getAttribute('href'), expected.stagingTargetUrl);
  await repository.locator('section[data-environment="preview/pr-7"]', { hasText: 'Pull request #7' }).waitFor();
  const production = repository.locator('section[data-environment="production"]');
  assert.match(await production.innerText(), /waiting approval/);
  console.log('environments: staging runs', expected.stagingCommit);

  // DORA figures of production: 2 successes, 1 failed change of 3, restored within an hour
  const failureRate = page.locator('[data-figure="Change failure rate"] .value');
  await failureRate.filter({ hasText: '33 %' }).waitFor();
  assert.equal(await page.locator('[data-figure="Time to restore"] .value').innerText(), '1.0 h');
  assert.match(await page.locator('[data-figure="Deployment frequency"]').innerText(), /2 in 30 days/);
  console.log('dora: change failure rate 33 %, time to restore 1.0 h');

  // a new deployment appears without reloading
  await page.evaluate(() => { window.notReloaded = true; });
  console.log('READY_FOR_LIVE_DEPLOYMENT');
  await page.locator(`tr[data-id="${expected.liveDeployment}"]`).waitFor();
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  assert.match(await page.locator(`tr[data-id="${expected.liveDeployment}"]`).innerText(), /Push to main by bob/);
  console.log('live: the new deployment appeared without a reload');

  // approve from the keyboard, with the operator's token
  await page.fill('#token', expected.operatorToken);
  await page.locator('#token').press('Tab');
  const approve = page.locator(`button[data-action="approve"][data-deployment="${expected.waitingDeployment}"]`);
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    reached = await approve.evaluate((button) => button === document.activeElement);
    if (!reached) await page.keyboard.press('Tab');
  }
  assert.ok(reached, 'the approve button can be reached with Tab');
  await page.keyboard.press('Enter');
  await page.locator('#notice', { hasText: 'Approve: done.' }).waitFor();
  console.log('approve: pressed with the keyboard, promotion-service answered');
  await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

  // a deployment's page, where commit statuses link: its timeline
  await page.goto(`${base}/deployments/${expected.stagingDeployment}`);
  const timeline = page.locator('ol.timeline li');
  await timeline.nth(2).waitFor();
  assert.equal(await timeline.count(), 3);
  assert.match(await timeline.nth(0).innerText(), /queued[\s\S]*Push to main by alice/);
  assert.match(await timeline.nth(2).innerText(), /succeeded[\s\S]*Target answered 200/);
  assert.equal(await page.getByRole('link', { name: expected.stagingTargetUrl }).getAttribute('href'),
    expected.stagingTargetUrl);
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Deployment to staging/);
  // its verify checks: each with its outcome, newman's totals for the collection
  const verification = page.locator('section[data-verification="passed"]');
  assert.match(await verification.getByRole('heading', { level: 2 }).innerText(), /Verification passed/);
  assert.match(await verification.locator('li[data-check="health"]').innerText(), /health \(http\) — passed after 3 attempt/);
  assert.match(await verification.locator('li[data-check="smoke tests"]').innerText(),
    /2 request\(s\), 0 failed; 4 of 4 assertion\(s\) passed/);
  await page.screenshot({ path: path.join(shots, 'deployment.png'), fullPage: true });
  console.log('deployment page: timeline of 3 states, link to the target run, verification');

  // redeploy (roll back to) this commit, confirmed in the browser's dialog
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Redeploy this commit' }).click();
  await page.locator('#notice', { hasText: 'Redeploy: done.' }).waitFor();
  console.log('redeploy: confirmed, promotion-service answered');

  // a narrow screen: nothing scrolls sideways
  const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true });
  const narrow = await phone.newPage();
  narrow.setDefaultTimeout(timeout);
  watch(narrow);
  await narrow.goto(`${base}/`);
  await narrow.fill('#token', expected.operatorToken);
  await narrow.locator('#token').press('Tab');
  await narrow.locator(`tr[data-id="${expected.liveDeployment}"]`).waitFor();
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow} px wider than a 375 px screen`);
  await narrow.screenshot({ path: path.join(shots, 'narrow.png'), fullPage: true });
  console.log('narrow screen: no sideways scrolling');

  assert.deepEqual(problems, [], 'no console errors');
  console.log('PASS');
} catch (error) {
  console.log(`FAIL: ${error.stack || error}`);
  if (problems.length) console.log(problems.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}
