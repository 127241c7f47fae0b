// What every browser test shares: Debian's chromium through playwright-core with a fresh
// profile, the platform's addresses (from faces/run-browser-tests), one TIMEOUT for every
// wait, and screenshots of each step.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.MESHDESK_FACES_URL || 'http://127.0.0.1:8081';
export const TICKETING = process.env.MESHDESK_TICKETING_URL || 'http://127.0.0.1:8083';
export const RUN_DIR = process.env.MESHDESK_RUN_DIR;
export const REGION = process.env.MESHDESK_REGION || 'cn-north';
export const TIMEOUT = 15_000;
const SHOTS = process.env.MESHDESK_SCREENSHOTS || join(process.cwd(), 'target', 'browser-tests');

// The flags that work on this machine's closed network (no calls home, no GPU, no sandbox as root).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function browser() {
  const profile = await mkdtemp(join(tmpdir(), 'meshdesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 800 },
  });
  context.setDefaultTimeout(TIMEOUT);
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the locator's text contains the text (or matches the pattern). */
export async function waitForText(locator, text) {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

/** Polls a condition (an async function returning truthy) within TIMEOUT. */
export async function eventually(condition, what) {
  const until = Date.now() + TIMEOUT;
  let last;
  while (Date.now() < until) {
    try {
      last = await condition();
      if (last) {
        return last;
      }
    } catch (e) {
      last = e;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within ${TIMEOUT} ms (last: ${last})`);
}

/** Signs an agent in on the console and returns its page. */
export async function signIn(context, agentId, { languages = 'en', capacity = 100 } = {}) {
  const page = await context.newPage();
  await page.goto(`${BASE}/console/`);
  await page.getByRole('textbox', { name: 'Agent ID' }).fill(agentId);
  await page.getByText('Profile (name, languages, skills, capacity)').click();
  await page.getByRole('textbox', { name: 'Languages (comma-separated)' }).fill(languages);
  await page.getByRole('spinbutton', { name: 'Capacity (a chat takes 25, a call 100)' }).fill(String(capacity));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('combobox', { name: 'Status' }).waitFor();
  return page;
}

/** Starts a chat on the widget (keyboard only) and returns its page. */
export async function startChat(context, name, language = 'en', viewport = null) {
  const page = await context.newPage();
  if (viewport) {
    await page.setViewportSize(viewport);
  }
  await page.goto(`${BASE}/widget/`);
  await page.getByRole('textbox', { name: 'Name' }).waitFor();
  // The name field has the focus on load; Tab reaches the language and the topic, Enter starts.
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.getByRole('combobox', { name: 'Language' }).selectOption(language);
  await page.keyboard.press('Tab');
  await page.getByRole('combobox', { name: 'Topic' }).selectOption('billing');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('log').waitFor();
  return page;
}

/** The session ids listed on a console, from the items' names. */
export async function sessionIds(console) {
  const names = await console.getByRole('list', { name: 'Sessions' }).getByRole('listitem')
    .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));
  return names.map((n) => n.split(' ')[1]);
}

/** Types a message into the focused page's Message box and sends it with Enter. */
export async function say(page, text) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

export async function setStatus(console, status) {
  await console.getByRole('combobox', { name: 'Status' }).selectOption({ label: status });
}
