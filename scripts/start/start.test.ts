// `npm start` end to end: spawns what the "start" script runs (`node --import tsx
// scripts/start.ts --fresh --port 0 --data-dir <tmp> --json`; npm itself dies of a signal instead
// of reporting its child's exit code, so it is left out), waits for the ready line, checks the demo data and the simulator's first load through the REST API,
// the Contact record page, the printed curl example and health check, a clean SIGTERM stop (exit
// code 0), and a second start on the same data dir that keeps everything and seeds nothing again.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { STAFF } from '../simulate/catalog.ts';
import type { StartInfo } from './start.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Running {
  child: ChildProcess;
  info: StartInfo;
  stderr: () => string;
  exit: Promise<number | null>;
}

function startNpm(dataDir: string, fresh: boolean): Promise<Running> {
  const args = [
    '--import',
    'tsx',
    'scripts/start.ts',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--json'
  ];
  if (fresh) args.push('--fresh');
  // Its own process group, signalled as a terminal's Ctrl-C signals the foreground group.
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      fail(new Error(`npm start was not ready within 90 s:\n${stderr}`));
    }, 90_000);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line && stdout.includes('\n', stdout.indexOf(line))) {
        clearTimeout(timer);
        done({ child, info: JSON.parse(line) as StartInfo, stderr: () => stderr, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      fail(new Error(`npm start exited (${code}) before it was ready:\n${stderr}`));
    });
  });
}

async function stop(run: Running, signal: NodeJS.Signals): Promise<number | null> {
  process.kill(-run.child.pid!, signal);
  return run.exit;
}

async function query<T = Record<string, unknown>>(info: StartInfo, soql: string): Promise<T[]> {
  const res = await fetch(
    `${info.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
    { headers: { Authorization: `Bearer ${info.admin.accessToken}` } }
  );
  assert.equal(res.status, 200, `${soql}: ${await res.clone().text()}`);
  return ((await res.json()) as { records: T[] }).records;
}

const quoted = (ids: string[]): string => ids.map((id) => `'${id}'`).join(',');

describe('npm start', () => {
  let root: string;
  let dataDir: string;
  let run: Running;
  let info: StartInfo;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'npm-start-'));
    dataDir = join(root, 'org');
    run = await startNpm(dataDir, true);
    info = run.info;
  });

  after(async () => {
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      process.kill(-run.child.pid!, 'SIGKILL');
      await run.exit;
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('seeds the demo data on the first start', async () => {
    assert.equal(info.firstStart, true);
    const demo = info.demo;
    const accounts = await query(
      info,
      `SELECT Id, Name FROM Account WHERE Id IN (${quoted(demo.accounts.map((a) => a.id))})`
    );
    assert.equal(accounts.length, 4);
    assert.ok(accounts.some((a) => a.Name === 'Harbourfront Bakery Ltd.'));
    const contacts = await query(
      info,
      `SELECT Id, AccountId, Email FROM Contact WHERE Id IN (${quoted(demo.contacts.map((c) => c.id))})`
    );
    assert.equal(contacts.length, demo.contacts.length);
    assert.ok(
      contacts.every((c) => typeof c.AccountId === 'string' && typeof c.Email === 'string')
    );
    const leads = await query(
      info,
      `SELECT Id, IsConverted FROM Lead WHERE Id IN (${quoted(demo.leads.map((l) => l.id))})`
    );
    assert.equal(leads.length, 5);
    assert.ok(leads.every((l) => l.IsConverted === false));
    const converted = await query(
      info,
      `SELECT IsConverted, ConvertedContactId, ConvertedAccountId FROM Lead WHERE Id = '${demo.convertedLead!.leadId}'`
    );
    assert.deepEqual(
      {
        c: converted[0]!.IsConverted,
        contact: converted[0]!.ConvertedContactId,
        account: converted[0]!.ConvertedAccountId
      },
      { c: true, contact: demo.convertedLead!.contactId, account: demo.convertedLead!.accountId }
    );
    const opp = await query(
      info,
      `SELECT Name, AccountId FROM Opportunity WHERE Id = '${demo.opportunity.id}'`
    );
    assert.equal(opp[0]!.AccountId, demo.accounts[2]!.id);

    const staff = await query<{ Id: string; Email: string; Coconut_Staff_Id__c: string }>(
      info,
      'SELECT Id, Email, Coconut_Staff_Id__c FROM User WHERE Coconut_Staff_Id__c != null ORDER BY Coconut_Staff_Id__c'
    );
    assert.deepEqual(
      staff.map((u) => [u.Coconut_Staff_Id__c, u.Email]).sort(),
      STAFF.map((s) => [String(s.id), s.email]).sort()
    );
    const assigned = await query(
      info,
      `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Coconut_User' AND AssigneeId IN (${quoted(staff.map((u) => u.Id))})`
    );
    assert.equal(assigned.length, STAFF.length);
  });

  it("runs the simulator's first load with zero differences, owned by the seeded advisors", async () => {
    const sim = info.simulation!;
    assert.equal(sim.ok, true, sim.summary);
    assert.equal(sim.differences, 0);
    assert.ok(sim.appointments >= 20, `${sim.appointments} appointments`);
    assert.equal(sim.matching, sim.appointments);
    const appts = await query<{ OwnerId: string; Staff_Id__c: string | null }>(
      info,
      'SELECT OwnerId, Staff_Id__c FROM Coconut_Appointment__c'
    );
    assert.equal(appts.length, sim.appointments);
    const staffIds = new Set(info.demo.staffUsers.map((u) => u.id));
    const withStaff = appts.filter((a) => a.Staff_Id__c);
    assert.ok(withStaff.length > 0);
    assert.ok(
      withStaff.every((a) => staffIds.has(a.OwnerId)),
      'every appointment with a Coconut staff member is owned by that advisor'
    );
    // Some appointments landed on the seeded Leads/Contacts.
    assert.ok(info.links.contact.appointments > 0, 'the linked Contact has appointments');
    assert.ok(info.links.lead.appointments > 0, 'the linked Lead has appointments');
  });

  /** Opens a printed link as a browser does: the token sets a session cookie and redirects. */
  async function open(link: string): Promise<{ status: number; html: string }> {
    const first = await fetch(link, { redirect: 'manual' });
    assert.equal(first.status, 302, link);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(new URL(first.headers.get('location')!, info.instanceUrl), {
      headers: { Cookie: cookie }
    });
    return { status: page.status, html: await page.text() };
  }

  it("serves the record pages with the package's component", async () => {
    const contact = await open(info.links.contact.url);
    assert.equal(contact.status, 200);
    assert.match(contact.html, /data-lwc="c-coconut-appointments"/);
    assert.ok(contact.html.includes(info.links.contact.name), 'the header names the contact');
    for (const link of [info.links.lead, info.links.account, info.links.opportunity]) {
      const page = await open(link.url);
      assert.equal(page.status, 200, link.url);
      assert.ok(page.html.includes(link.name.replace('&', '&amp;')), `${link.name} on its page`);
    }
    assert.equal((await open(info.links.home)).status, 200);
  });

  it('the printed curl example and health check work', async () => {
    const ex = info.examples.postAppointment;
    assert.ok(ex.curl.includes(ex.url) && ex.curl.includes(info.integration.accessToken));
    assert.ok(ex.curl.includes(`--data '${ex.body!}'`));
    const res = await fetch(ex.url, { method: ex.method, headers: ex.headers, body: ex.body });
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      results: { status: string; attendees: { recordId: string }[] }[];
    };
    assert.equal(body.results[0]!.status, 'created');
    assert.equal(body.results[0]!.attendees[0]!.recordId, info.links.contact.id);

    const health = await fetch(info.examples.health.url, { headers: info.examples.health.headers });
    assert.equal(health.status, 200);
    const h = (await health.json()) as { settingsValid: boolean };
    assert.equal(h.settingsValid, true);
  });

  it('is what the npm "start" script runs', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.equal(pkg.scripts.start, 'node --import tsx scripts/start.ts');
  });

  it('SIGTERM stops it with exit code 0; a second start keeps the org and seeds nothing; Ctrl-C (SIGINT) stops it with 0', async () => {
    assert.equal(await stop(run, 'SIGTERM'), 0, run.stderr());
    assert.match(run.stderr(), /Stopped\./);
    run = await startNpm(dataDir, false);
    const again = run.info;
    assert.equal(again.firstStart, false);
    assert.deepEqual(again.demo, info.demo);
    assert.equal(again.simulation?.summary, info.simulation?.summary);
    const accounts = await query(
      again,
      "SELECT Id FROM Account WHERE Name = 'Harbourfront Bakery Ltd.'"
    );
    assert.equal(accounts.length, 1, 'not seeded twice');
    const curlAppointment = await query(
      again,
      "SELECT Id FROM Coconut_Appointment__c WHERE Coconut_Id__c = '7000001'"
    );
    assert.equal(curlAppointment.length, 1, 'records survive a restart');
    assert.equal(await stop(run, 'SIGINT'), 0, run.stderr());
    assert.match(run.stderr(), /SIGINT: stopping/);
  });
});
