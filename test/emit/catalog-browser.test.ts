/**
 * The catalog page in a real browser: Debian's chromium (installed by .ci/run) driven by
 * playwright-core, launched once for every check. The page of docs/ is opened from `file://`:
 * no console error, no request outside its folder, every event type listed, the search narrows the
 * list, a deep link scrolls to its event, `/` focuses the search, dark and light differ, and the
 * phone and desktop screenshots are compared loosely (sizes, not blank, layout; not pixels).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, run, shippedDocs, tempDir } from '../helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const result = await run(shippedDocs());
const eventTypes = [...result.schemas.keys()]
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.replace(/\.schema\.json$/, ''));

let browser: Browser;
let dir: string;
let url: string;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  dir = tempDir('eventgen-catalog-');
  writeFileSync(path.join(dir, 'index.html'), result.catalog.get('index.html') as string);
  url = pathToFileURL(path.join(dir, 'index.html')).href;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) removeDir(dir);
});

/** A fresh context (its own profile) at one viewport, watching the console and every request. */
async function open(width: number, height: number, hash = '', colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(pathToFileURL(dir).href)) foreignRequests.push(r.url());
  });
  await page.goto(`${url}${hash}`);
  return page;
}

const visible = (page: Page) =>
  page.$$eval('article.event', (all) => all.filter((a) => !(a as HTMLElement).hidden).map((a) => a.id));

/** Width and height of a PNG, from its IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('the catalog page in chromium', () => {
  it('lists every event type, and the search narrows the list as you type', async () => {
    const page = await open(1280, 800);
    expect((await visible(page)).sort()).toEqual([...eventTypes].sort());
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
    await page.keyboard.type('sms');
    const sms = await visible(page);
    expect(sms.length).toBeGreaterThan(0);
    expect(sms.length).toBeLessThan(eventTypes.length);
    expect(sms.every((id) => /sms/i.test(id))).toBe(true);
    expect(await page.textContent('#count')).toBe(`${sms.length} of ${eventTypes.length} event types`);
    expect(await page.$$eval('nav li[data-event]:not([hidden])', (li) => li.length)).toBe(sms.length);
    // Field names are searched too; a word nothing has empties the list and says so.
    await page.fill('#search', 'receivedtimestamp');
    const field = await visible(page);
    expect(field).toContain('Microsoft.Communication.SMSReceived');
    for (const id of field)
      expect(await page.$eval(`[id="${id}"]`, (a) => a.innerHTML)).toContain('<code>ReceivedTimestamp</code>');
    await page.fill('#search', 'no-such-word-anywhere');
    expect(await visible(page)).toEqual([]);
    expect(await page.isVisible('#empty')).toBe(true);
    await page.keyboard.press('Escape');
    expect(await visible(page)).toHaveLength(eventTypes.length);
    await page.context().close();
  });

  it('scrolls a deep link to its event', async () => {
    const target = 'Microsoft.Communication.SMSReceived';
    const page = await open(1280, 800, `#${target}`);
    await page.waitForFunction(() => window.scrollY > 0);
    const box = await page.$eval(`[id="${target}"]`, (e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, innerHeight: window.innerHeight };
    });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeLessThan(box.innerHeight / 2);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(target);
    await page.context().close();
  });

  it('reads at phone and desktop widths, in dark and light', async () => {
    const phone = await open(390, 844);
    const desktop = await open(1280, 800, '', 'dark');
    // Nothing wider than a phone: no sideways scrolling of the page (tables and code scroll inside their boxes).
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const navLeft = (p: Page) => p.$eval('nav', (n) => n.getBoundingClientRect().left);
    const mainLeft = (p: Page) => p.$eval('main', (n) => n.getBoundingClientRect().left);
    expect(await mainLeft(desktop)).toBeGreaterThan(await navLeft(desktop)); // side by side
    expect(await mainLeft(phone)).toBe(await navLeft(phone)); // stacked
    const background = (p: Page) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background(phone)).toBe('rgb(255, 255, 255)');
    expect(await background(desktop)).toBe('rgb(13, 17, 23)');

    const small = await phone.screenshot();
    const large = await desktop.screenshot();
    expect(pngSize(small)).toEqual({ width: 390, height: 844 });
    expect(pngSize(large)).toEqual({ width: 1280, height: 800 });
    // Neither is blank (a blank PNG compresses to a few hundred bytes), and the desktop shows more.
    expect(small.length).toBeGreaterThan(10_000);
    expect(large.length).toBeGreaterThan(small.length);
    // The same content, stacked on a phone: a longer page than on the desktop.
    const height = (p: Page) => p.evaluate(() => document.documentElement.scrollHeight);
    expect(await height(phone)).toBeGreaterThan(await height(desktop));
    await phone.context().close();
    await desktop.context().close();
  });

  it('logged no console error and requested nothing outside its folder', () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
