// Browser end-to-end: the npm-shipped Chromium (./browser.ts) (driven by playwright-core, no downloaded browser)
// opens a Contact's record page in the standalone preview, which renders the project's real
// LWCs compiled by the LWC compiler and runs their Apex in the local org as the signed-in user.
//
// The signed-in user's Salesforce time zone (America/Toronto) differs on purpose from the
// browser's (Asia/Tokyo, fixed with timezoneId): times must follow the user's setting, as
// @salesforce/i18n/timeZone does in Lightning Experience.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowserContext } from './browser.ts';
import { startStandalone, type Standalone } from './serve.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USER_ZONE = 'America/Toronto';
const BROWSER_ZONE = 'Asia/Tokyo';
const RESULTS = join(REPO, 'test-results');
const BOOKING_HOST = 'https://example.coconutcalendar.com';

let s: Standalone;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let contactId: string;
const DAY = 24 * 60 * 60 * 1000;
/** Appointment starts, rounded to the minute so the displayed time is exact. */
const at = (days: number, hourUtc: number) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hourUtc, 15, 0, 0);
  return d;
};
const appts = {
  soon: { start: at(2, 15), status: 'Confirmed', label: 'Confirmed', services: 'Mortgage review' },
  later: {
    start: at(6, 20),
    status: 'Cancelled',
    label: 'Cancelled',
    services: 'Investment planning'
  },
  recent: {
    start: at(-3, 14),
    status: 'Completed',
    label: 'Completed',
    services: 'Account opening'
  },
  old: { start: at(-12, 16), status: 'No Show', label: 'No-show', services: 'RRSP consultation' }
};

/** What lightning-formatted-date-time shows for the item's time (the component's options). */
function expectedTime(d: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: USER_ZONE,
    timeZoneName: 'short'
  }).format(d);
}

const norm = (t: string) => t.replace(/[\s\u202f\u00a0]+/g, ' ').trim();

function insertOk(object: string, records: Record<string, unknown>[]): string[] {
  const results = s.org.insert(object, records, { userId: s.org.adminUserId, mode: 'system' });
  return results.map((r) => {
    assert.ok(r.success, `${object} insert failed: ${JSON.stringify(r.errors)}`);
    return r.id!;
  });
}

interface Item {
  time: string;
  heading: string;
  status: string;
}

async function visibleItems(): Promise<Item[]> {
  const articles = page.locator('c-coconut-appointment-item article');
  const n = await articles.count();
  const out: Item[] = [];
  for (let i = 0; i < n; i++) {
    const a = articles.nth(i);
    out.push({
      time: norm(await a.locator('.coconut-viewer-time').innerText()),
      heading: norm(await a.locator('.coconut-heading').innerText()),
      status: norm(await a.locator('.coconut-appointment-status lightning-badge').innerText())
    });
  }
  return out;
}

before(
  async () => {
    s = await startStandalone({ projectDir: REPO, port: 0, log: () => undefined });
    s.org.update('User', [{ Id: s.org.adminUserId, TimeZoneSidKey: USER_ZONE }], {
      userId: s.org.adminUserId,
      mode: 'system'
    });
    contactId = s.seeded!.contactIds[0]!;
    const rows = Object.entries(appts).map(([key, a], i) => ({
      Name: `E2E-${key.toUpperCase()}`,
      Coconut_Id__c: String(880001 + i),
      Status__c: a.status,
      Start__c: a.start.toISOString(),
      End__c: new Date(a.start.getTime() + 45 * 60 * 1000).toISOString(),
      Time_Zone__c: USER_ZONE,
      Services__c: a.services,
      Staff_Name__c: 'Sam Lee',
      Meeting_Method__c: 'Video Call',
      Meeting_Link__c: 'https://meet.example.com/e2e',
      Cancel_Reason__c: a.status === 'Cancelled' ? 'Client rescheduled' : null
    }));
    const ids = insertOk('Coconut_Appointment__c', rows);
    insertOk(
      'Coconut_Attendee__c',
      ids.map((id, i) => ({
        Appointment__c: id,
        Contact__c: contactId,
        Status__c: rows[i]!.Status__c,
        First_Name__c: 'Amélie',
        Last_Name__c: 'Tremblay'
      }))
    );
    await s.handler.ready;

    userDataDir = mkdtempSync(join(tmpdir(), 'local-org-preview-chromium-'));
    context = await launchBrowserContext(userDataDir, {
      timezoneId: BROWSER_ZONE,
      locale: 'en-US',
      viewport: { width: 1280, height: 900 }
    });
    // The booking site is another system: answer for it instead of reaching the internet.
    await context.route(`${BOOKING_HOST}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Coconut booking</h1>' })
    );
    page = context.pages()[0] ?? (await context.newPage());
  },
  { timeout: 120_000 }
);

after(async () => {
  await context?.close();
  await s?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('the list page links to the Contact record page', { timeout: 30_000 }, async () => {
  await page.goto(`${s.url}/lightning/o/Contact/list`);
  await page.getByRole('link', { name: 'Amélie Tremblay' }).click();
  await page.waitForURL(`**/lightning/r/Contact/${contactId}/view`);
  assert.equal(norm(await page.locator('.lo-record-name').innerText()), 'Amélie Tremblay');
});

test(
  'the record page shows upcoming appointments in the user’s time zone with their statuses',
  { timeout: 30_000 },
  async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${s.url}/lightning/r/Contact/${contactId}/view`);
    const card = page.locator('c-coconut-appointments');
    await card.locator('c-coconut-appointment-item').first().waitFor({ timeout: 15_000 });

    // Highlights from the record.
    assert.equal(norm(await page.locator('.lo-record-name').innerText()), 'Amélie Tremblay');
    assert.equal(
      norm(await page.locator('.lo-key-field[data-field="Email"]').innerText()),
      'amelie.tremblay@example.com'
    );
    // Tab labels carry the counts from the Apex page.
    assert.equal(
      norm(await page.getByRole('tab', { name: /Upcoming/ }).innerText()),
      'Upcoming (2)'
    );
    assert.equal(norm(await page.getByRole('tab', { name: /Past/ }).innerText()), 'Past (2)');

    const items = await visibleItems();
    assert.deepEqual(items, [
      {
        time: norm(expectedTime(appts.soon.start)),
        heading: 'Mortgage review',
        status: 'Confirmed'
      },
      {
        time: norm(expectedTime(appts.later.start)),
        heading: 'Investment planning',
        status: 'Cancelled'
      }
    ]);
    // The browser is in Tokyo; a time formatted there would read differently.
    assert.ok(!items[0]!.time.includes('GMT+9'), items[0]!.time);
    assert.match(
      norm(
        await page
          .locator('c-coconut-appointment-item')
          .nth(1)
          .locator('.coconut-reason')
          .innerText()
      ),
      /Reason: Client rescheduled/
    );
    assert.deepEqual(pageErrors, []);
  }
);

test(
  'switching to Past shows past appointments, most recent first',
  { timeout: 30_000 },
  async () => {
    await page.getByRole('tab', { name: /Past/ }).click();
    await page
      .locator('c-coconut-appointment-item .coconut-heading', { hasText: 'Account opening' })
      .waitFor({ timeout: 15_000 });
    assert.deepEqual(await visibleItems(), [
      {
        time: norm(expectedTime(appts.recent.start)),
        heading: 'Account opening',
        status: 'Completed'
      },
      { time: norm(expectedTime(appts.old.start)), heading: 'RRSP consultation', status: 'No-show' }
    ]);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({
      path: join(RESULTS, 'preview-contact-record-page.png'),
      fullPage: true
    });
  }
);

test(
  'Book appointment opens Coconut’s booking page pre-filled with the client',
  { timeout: 30_000 },
  async () => {
    const link = page.locator('c-coconut-appointments a.coconut-book');
    assert.equal(norm(await link.innerText()).startsWith('Book appointment'), true);
    const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await popup.waitForLoadState('domcontentloaded');
    const url = new URL(popup.url());
    assert.equal(`${url.origin}${url.pathname}`, `${BOOKING_HOST}/book`);
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      first_name: 'Amélie',
      last_name: 'Tremblay',
      email: 'amelie.tremblay@example.com',
      phone: '(416) 555-0101',
      external_id: contactId
    });
    await popup.close();
  }
);

test(
  'Refresh runs the Apex again (refreshApex) and shows a new appointment',
  { timeout: 30_000 },
  async () => {
    const start = at(-1, 13);
    const [id] = insertOk('Coconut_Appointment__c', [
      {
        Name: 'E2E-NEW',
        Coconut_Id__c: '880099',
        Status__c: 'Completed',
        Start__c: start.toISOString(),
        End__c: new Date(start.getTime() + 30 * 60 * 1000).toISOString(),
        Time_Zone__c: USER_ZONE,
        Services__c: 'Card replacement',
        Staff_Name__c: 'Sam Lee'
      }
    ]);
    insertOk('Coconut_Attendee__c', [
      { Appointment__c: id, Contact__c: contactId, Status__c: 'Completed' }
    ]);
    // The wired page is cached: nothing changes until the user refreshes.
    assert.equal(norm(await page.getByRole('tab', { name: /Past/ }).innerText()), 'Past (2)');
    await page.locator('c-coconut-appointments .coconut-refresh button').click();
    await page.getByRole('tab', { name: 'Past (3)' }).waitFor({ timeout: 10_000 });
    assert.deepEqual((await visibleItems())[0], {
      time: norm(expectedTime(start)),
      heading: 'Card replacement',
      status: 'Completed'
    });
  }
);
