/**
 * Swagger UI at /docs in a real browser, as the README tells an operator to use it: open it,
 * Authorize with a module JWT, "Try it out" on POST /refer/observables, Execute, and read the
 * response Swagger UI renders. Drives Debian's Chromium (apt-get install chromium) with
 * playwright-core; a screenshot lands in artifacts/swagger-ui.png.
 *
 * Without Chromium the test is skipped and the run says why, except under CI (CI=true), where it
 * fails: .ci/run installs Chromium, so a missing browser there is a broken pipeline, not a laptop.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_PATH, describeWith } from './support/prerequisites';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';

const SCREENSHOT = join(__dirname, '..', 'artifacts', 'swagger-ui.png');
// What a closed network needs: no sandbox as root, no GPU, no QUIC, no calls home.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHA1 = '4fb1cc732f4ef37e830af5cda20b3aadf133d1e2';
const DOMAIN = 'badcdn-delivery.example';

describeWith(CHROMIUM, 'Swagger UI in Chromium', () => {
  let relay: RelayHarness;
  let context: BrowserContext;
  let profile: string;
  const offLoopback: string[] = [];

  beforeAll(async () => {
    relay = await startRelay();
    profile = mkdtempSync(join(tmpdir(), 'defender-relay-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
    // Only the relay is reachable; anything else Swagger UI might ask for (e.g. a validator badge) is refused and noted.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => {
        offLoopback.push(route.request().url());
        return route.abort();
      },
    );
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await relay?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('authorizes with a JWT, runs POST /refer/observables with "Try it out" and shows the links', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    // Anything the page's Content-Security-Policy blocks would break Swagger UI: note it all.
    await page.addInitScript(
      "window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));",
    );
    const sent: { authorization?: string; body?: string }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/refer/observables')) sent.push({ authorization: r.headers()['authorization'], body: r.postData() ?? undefined });
    });

    await page.goto(`${relay.url}/docs`);
    await page.locator('.swagger-ui .information-container .title').waitFor();
    expect(await page.locator('.swagger-ui .information-container .title').innerText()).toContain('Defender Relay');

    // Authorize: the bearer scheme's dialog takes the JWT.
    const jwt = hsToken();
    await page.locator('.scheme-container button.authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').first().fill(jwt);
    await dialog.locator('button.authorize').click();
    await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor(); // the scheme shows as authorized (Logout)
    await dialog.locator('button.btn-done').click();
    await dialog.waitFor({ state: 'detached' });
    // The JWT (which carries the client secret) stays in the page's memory, not in the browser's storage.
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })');
    expect(stored).not.toContain(jwt);
    expect(stored).not.toContain(jwt.split('.')[1]);

    // Try it out on POST /refer/observables.
    const operation = page.locator('.opblock-post', { has: page.locator('[data-path="/refer/observables"]') });
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    const body = JSON.stringify([{ type: 'sha1', value: SHA1 }, { type: 'domain', value: DOMAIN }], null, 2);
    await operation.locator('textarea.body-param__text').fill(body);
    await operation.locator('button.execute').click();

    const live = operation.locator('.live-responses-table tbody tr.response');
    await live.waitFor();
    expect((await live.locator('.response-col_status').innerText()).trim()).toBe('200');
    const rendered = await live.locator('.response-col_description pre').first().innerText();
    expect(rendered).toContain(`ref-md-search-sha1-${SHA1}`);
    expect(rendered).toContain(`ref-md-search-domain-${DOMAIN}`);
    expect(rendered).toContain('Search for this SHA1');

    // What went over the wire: the pasted JWT as a bearer token, the typed body.
    expect(sent).toHaveLength(1);
    expect(sent[0].authorization).toBe(`Bearer ${jwt}`);
    expect(JSON.parse(sent[0].body ?? 'null')).toEqual(JSON.parse(body));

    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);

    await operation.scrollIntoViewIfNeeded();
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    if (offLoopback.length > 0) process.stdout.write(`swagger-ui: refused off-loopback requests: ${offLoopback.join(', ')}\n`);
  }, 60_000);
});
