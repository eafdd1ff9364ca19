// The Temporal UI reads an encrypted teardown through the codec server (design.md, "Payload
// encryption"): with TEARDOWN_ENCRYPTION_KEYS on, a real teardown's payloads are ciphertext on the
// server; headless Chromium opens the dev server's UI with its codec endpoint setting pointed at
// `npm run codec-server` (CORS allowing the UI's origin), and the page shows the decoded input and
// summary, fetched with the browser's own cross-origin /decode calls. Screenshot:
// artifacts/temporal-ui-codec.png. (The other UI checks are in temporal-ui.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCodecServerProcess, type CodecServerProcess } from '../helpers/codec-server-process';
import { startStack, testId, type Stack } from '../helpers/stack';
import { REPO_ROOT, TEST_NAMESPACE, testServerUiUrl } from '../helpers/temporal';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
const ARTIFACTS = path.join(REPO_ROOT, 'artifacts');
const KIND = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';
const UI_TIMEOUT_MS = 20_000;
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const haveChromium = fs.existsSync(CHROMIUM);
const inCI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const uiTest = haveChromium || inCI ? it : it.skip;
if (!haveChromium && !inCI)
  process.stderr.write(`[codec-server-ui.test] SKIPPED: no Chromium at ${CHROMIUM}\n`);

const saved = process.env.TEARDOWN_ENCRYPTION_KEYS;
let stack: Stack | undefined;
let codec: CodecServerProcess | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await codec?.stop();
  await stack?.stop();
  if (saved === undefined) delete process.env.TEARDOWN_ENCRYPTION_KEYS;
  else process.env.TEARDOWN_ENCRYPTION_KEYS = saved;
});

async function waitForText(page: Page, what: string, expected: string): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const text = await page
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch(() => '');
    if (text.includes(expected)) return;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: the UI does not show ${JSON.stringify(expected)}; it shows:\n${text.slice(0, 3_000)}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

uiTest('shows an encrypted teardown decoded through the codec server', async () => {
  if (!haveChromium) throw new Error(`no Chromium at ${CHROMIUM} (required when CI is set)`);
  process.env.TEARDOWN_ENCRYPTION_KEYS = KEYS;
  stack = await startStack({ prefix: 'ui-codec' });
  const ui = testServerUiUrl();
  codec = await startCodecServerProcess({ TEARDOWN_ENCRYPTION_KEYS: KEYS, TEARDOWN_CODEC_CORS_ORIGINS: ui });
  const resourceId = `i-bp1uicodec${Date.now().toString(36)}`;
  stack.emulator.seed([
    {
      type: KIND,
      region: REGION,
      id: resourceId,
      status: 'Stopped',
      attributes: { InstanceChargeType: 'PostPaid' },
    },
  ]);
  const id = testId('ui-codec');
  const { workflowId } = await stack.teardown.startTeardown(id, {
    resources: [{ kind: KIND, region: REGION, ids: [resourceId] }],
    options: { pollInterval: '300ms', deadline: '2m' },
    requestedBy: 'ui-codec-test',
  });
  expect((await stack.teardown.waitForReport(id)).status).toBe('completed');
  const { runId } = await stack.client.workflow.getHandle(workflowId).describe();

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  // The UI's "Codec Server" setting as its dialog saves it (localStorage, JSON), overriding the
  // server's configuration (the dev server has none; without the override the UI ignores it).
  await context.addInitScript((endpoint) => {
    const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } })
      .localStorage;
    storage.setItem('endpoint', JSON.stringify(endpoint));
    storage.setItem('overrideRemoteCodecConfiguration', 'true');
  }, codec.url);
  const page = await context.newPage();
  // The browser's own cross-origin calls (allHeaders: Origin is added by the network stack).
  const decodes: Array<Promise<{ method: string; status: number; origin?: string }>> = [];
  page.on('response', (r) => {
    if (r.url().startsWith(`${codec!.url}/decode`))
      decodes.push(
        r
          .request()
          .allHeaders()
          .then((h) => ({ method: r.request().method(), status: r.status(), origin: h['origin'] })),
      );
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  try {
    await page.goto(
      `${ui}/namespaces/${TEST_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`,
    );
    // The input and result are JSON with the resource id: visible only once decoded.
    await waitForText(page, 'the decoded input', resourceId);
    await waitForText(page, 'the decoded summary', `teardown of 1 resources (${KIND}) for ui-codec-test`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-codec.png'), fullPage: true });
  } catch (err) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-codec-failure.png'), fullPage: true });
    throw err;
  }
  const calls = await Promise.all(decodes);
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((c) => c.method !== 'POST' || c.status !== 200 || c.origin !== ui)).toEqual([]);
  expect(await page.locator('body').innerText()).not.toContain('binary/encrypted');
});
