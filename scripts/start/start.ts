/**
 * `npm start`, as a function: builds the LWCs, starts the local org (the project deployed, its
 * state in the data dir) with the record-page preview on the same origin, seeds demo data and runs
 * the Coconut simulator on the first start, and returns what a newcomer needs to use it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createInterpreterInvoker, createPreviewHandler } from '../../local-org/preview/index.ts';
import {
  API_VERSION,
  startLocalOrg,
  type LocalOrg,
  type ReadyInfo
} from '../../local-org/server/local-org.ts';
import { writeFileAtomic } from '../../local-org/server/state-file.ts';
import { seedDemoData, type DemoIds } from '../demo/seed.ts';
import { defaultAnchor } from '../simulate/main.ts';
import { ENDPOINT, runSimulation, type Progress, type RunSummary } from '../simulate/run.ts';
import { ClientCredentials, OrgClient } from '../simulate/transport.ts';

export const DEFAULT_PORT = 6109;
/** The simulator's first load: fixed seed, modest size. */
export const SIMULATION = { seed: 'npm-start', clients: 40, days: 14 } as const;
export const MARKER_FILE = 'demo-seed.json';
export const HEALTH_ENDPOINT = '/services/apexrest/coconut/v1/health';

export interface StartOptions {
  projectDir: string;
  /** Default `<projectDir>/.local-org`. */
  dataDir?: string;
  /** 0 = any free port. */
  port?: number;
  /** Forget every record and deployed component, seed and simulate again. */
  fresh?: boolean;
  /** Skip `npm run build` (tests that build once). */
  skipBuild?: boolean;
  /** Progress lines (build, seed, simulator). */
  progress?: (line: string) => void;
  /** The server's and the preview's own log lines. */
  log?: (line: string) => void;
}

export interface SimulationInfo {
  firstRunAt: string;
  seed: string;
  anchor: string;
  ok: boolean;
  appointments: number;
  matching: number;
  differences: number;
  requests: number;
  items: number;
  results: RunSummary['results'];
  summary: string;
}

export interface Marker {
  orgId: string;
  seededAt: string;
  demo: DemoIds;
  simulation: SimulationInfo | null;
}

export interface HttpExample {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
  curl: string;
}

export interface StartInfo {
  instanceUrl: string;
  dataDir: string;
  firstStart: boolean;
  users: ReadyInfo['users'];
  admin: { username: string; accessToken: string };
  integration: { username: string; accessToken: string };
  oauth: ReadyInfo['oauth'] & { tokenUrl: string };
  endpoints: { appointments: string; health: string };
  examples: { postAppointment: HttpExample; health: HttpExample; clientCredentials: string };
  links: {
    home: string;
    contact: { id: string; name: string; url: string; appointments: number };
    lead: { id: string; name: string; url: string; appointments: number };
    account: { id: string; name: string; url: string; appointments: number };
    opportunity: { id: string; name: string; url: string };
    personAccount: { id: string; name: string; url: string } | null;
    lists: Record<'Contact' | 'Lead' | 'Account' | 'Opportunity', string>;
  };
  sf: string[];
  demo: DemoIds;
  simulation: SimulationInfo | null;
  timings: {
    buildMs: number;
    orgMs: number;
    seedMs: number;
    simulationMs: number;
    totalMs: number;
  };
}

export interface Started {
  info: StartInfo;
  org: LocalOrg;
  close: () => Promise<void>;
}

/** `npm run build`: tsc -p tsconfig.lwc.json (the committed LWC .js from the .ts sources). */
export function buildLwc(projectDir: string): Promise<void> {
  const require = createRequire(join(projectDir, 'package.json'));
  const tsc = require.resolve('typescript/bin/tsc');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.lwc.json'], {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0
        ? done()
        : fail(new Error(`npm run build (tsc -p tsconfig.lwc.json) failed:\n${out.trim()}`))
    );
  });
}

function readMarker(file: string): Marker | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/** The local wall-clock date `days` from now in `zone`, as YYYY-MM-DD. */
function localDate(zone: string, days: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit'
  }).format(new Date(Date.now() + days * 86_400_000));
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function curlOf(ex: Omit<HttpExample, 'curl'>): string {
  const parts = [`curl -sS -X ${ex.method} ${shellQuote(ex.url)}`];
  for (const [k, v] of Object.entries(ex.headers)) parts.push(`-H ${shellQuote(`${k}: ${v}`)}`);
  if (ex.body !== undefined) parts.push(`--data ${shellQuote(ex.body)}`);
  return parts.join(' \\\n  ');
}

/** A one-appointment batch as Coconut sends it: tomorrow 10:00 in Toronto with the given client. */
export function sampleAppointment(client: {
  firstName: string;
  lastName: string;
  email: string;
}): unknown {
  const day = localDate('America/Toronto', 1);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    appointments: [
      {
        id: 7000001,
        code: 'DEMO7000001CURL0',
        status: 'confirmed',
        start: `${day} 10:00:00`,
        end: `${day} 10:45:00`,
        timezone: 'America/Toronto',
        meeting_method: 1,
        booked_through: 9,
        walk_in: false,
        locale: 'en',
        notes: 'Sent with the curl example that npm start prints',
        created_at: now,
        updated_at: now,
        location: {
          id: 101,
          name: 'Bay Street Branch',
          virtual: false,
          address: '200 Bay St',
          city: 'Toronto',
          region: 'ON',
          country: 'CA',
          postcode: 'M5J 2J2',
          timezone: 'America/Toronto'
        },
        services: [{ id: 1, name: 'Small Business Banking' }],
        staff: {
          id: 4,
          first_name: 'Sam',
          last_name: 'Lee',
          email: 'sam.lee@northernshores.example'
        },
        attendees: [
          {
            id: 7000001,
            status: 'confirmed',
            external_id: null,
            client_id: 7000001,
            first_name: client.firstName,
            last_name: client.lastName,
            email: client.email,
            timezone: 'America/Toronto',
            language: 'en'
          }
        ]
      }
    ]
  };
}

/** Seeded records with the most attendees on them (for the links). */
function appointmentsPerRecord(org: LocalOrg): Map<string, number> {
  const rows = org.runtime.org.query(
    'SELECT Lead__c, Contact__c, Account__c FROM Coconut_Attendee__c',
    {},
    { mode: 'system' }
  ).records as Record<string, unknown>[];
  const counts = new Map<string, number>();
  for (const r of rows) {
    for (const f of ['Lead__c', 'Contact__c', 'Account__c']) {
      const id = r[f];
      if (typeof id === 'string' && id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

function busiest<T extends { id: string }>(
  records: T[],
  counts: Map<string, number>
): T & { appointments: number } {
  const ranked = records
    .map((r) => ({ ...r, appointments: counts.get(r.id) ?? 0 }))
    .sort((a, b) => b.appointments - a.appointments);
  return ranked[0]!;
}

export async function startAll(opts: StartOptions): Promise<Started> {
  const t0 = Date.now();
  const projectDir = resolve(opts.projectDir);
  const dataDir = resolve(opts.dataDir ?? join(projectDir, '.local-org'));
  const progress = opts.progress ?? (() => undefined);
  const markerFile = join(dataDir, MARKER_FILE);

  let buildMs = 0;
  if (!opts.skipBuild) {
    progress('Building the Lightning Web Components (npm run build)…');
    await buildLwc(projectDir);
    buildMs = Date.now() - t0;
  }

  if (opts.fresh) {
    progress(`--fresh: forgetting the org in ${dataDir}`);
    rmSync(markerFile, { force: true });
  }
  progress('Starting the local org and deploying the package…');
  const tOrg = Date.now();
  const org = await startLocalOrg({
    projectDir,
    dataDir,
    port: opts.port ?? DEFAULT_PORT,
    fresh: opts.fresh ?? false,
    log: opts.log
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await org.close();
  };
  try {
    // The record pages on the same origin: the preview answers its paths, the org the rest.
    const preview = createPreviewHandler({
      projectDir,
      org: () => org.runtime.org,
      apex: createInterpreterInvoker({
        org: () => org.runtime.org,
        sourceDir: () => org.runtime.store.dir
      }),
      authenticate: (token) => {
        try {
          return org.auth.authenticateToken(token).user.id;
        } catch {
          return undefined;
        }
      },
      log: opts.log
    });
    const server = org.http.server;
    const apiListeners = server.listeners('request') as ((
      req: IncomingMessage,
      res: ServerResponse
    ) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (preview(req, res)) return;
      for (const listener of apiListeners) listener.call(server, req, res);
    });
    const orgMs = Date.now() - tOrg;
    const info = org.info;
    const admin = info.users.find((u) => u.profile === 'System Administrator') ?? info.users[0]!;
    const integration =
      info.users.find((u) => u.username === info.oauth.clientCredentialsUser) ?? admin;

    // Demo data, once per org (the marker remembers the org it was written for).
    let marker = readMarker(markerFile);
    if (
      marker &&
      (marker.orgId !== org.runtime.org.orgId ||
        !org.runtime.org.getRecord(marker.demo.opportunity.id))
    ) {
      marker = undefined;
    }
    const firstStart = !marker;
    let seedMs = 0;
    let simulationMs = 0;
    if (!marker) {
      progress('First start: seeding demo data (accounts, contacts, leads, advisors)…');
      const tSeed = Date.now();
      const demo = seedDemoData(org.runtime.org);
      org.runtime.changed();
      org.runtime.flush();
      seedMs = Date.now() - tSeed;
      progress(
        `  ${demo.accounts.length} accounts, ${demo.contacts.length} contacts, ${demo.leads.length} open leads + 1 converted, 1 opportunity, ${demo.personAccount ? '1 person account, ' : ''}${demo.staffUsers.length} advisors (Coconut_User)`
      );
      marker = {
        orgId: org.runtime.org.orgId,
        seededAt: new Date().toISOString(),
        demo,
        simulation: null
      };
      writeFileAtomic(markerFile, JSON.stringify(marker, null, 2));

      const anchor = defaultAnchor();
      progress(
        `Running the Coconut simulator (seed "${SIMULATION.seed}", ${SIMULATION.clients} clients over ${SIMULATION.days} days up to ${anchor}, client credentials)…`
      );
      const tSim = Date.now();
      const client = new OrgClient(
        new ClientCredentials({
          loginUrl: info.instanceUrl,
          clientId: info.oauth.clientId,
          clientSecret: info.oauth.clientSecret
        }),
        { rate: 0 }
      );
      let lastLine = 0;
      const summary = await runSimulation({
        client,
        apiVersion: API_VERSION,
        seed: SIMULATION.seed,
        anchor,
        clients: SIMULATION.clients,
        days: SIMULATION.days,
        knownClients: 'org',
        onProgress: (p: Progress) => {
          if (p.phase === 'send' && p.counts) {
            const now = Date.now();
            if (p.batch === p.batches || now - lastLine > 1000) {
              lastLine = now;
              const c = p.counts;
              progress(
                `  request ${p.batch}/${p.batches}: ${p.items} items — ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.stale} stale, ${c.error} error`
              );
            }
          } else if (p.phase === 'reconcile')
            progress('  reconciling the org against what was sent…');
        },
        onWarning: (m) => progress(`  warning: ${m}`)
      });
      simulationMs = Date.now() - tSim;
      const r = summary.reconciliation;
      marker.simulation = {
        firstRunAt: new Date().toISOString(),
        seed: summary.seed,
        anchor: summary.anchor,
        ok: summary.ok,
        appointments: summary.generated.appointments,
        matching: r.matching,
        differences: r.differences.length,
        requests: summary.sent.requests,
        items: summary.sent.items,
        results: summary.results,
        summary: `${summary.generated.appointments} appointments (${summary.generated.snapshots} snapshots) sent as ${summary.sent.items} items in ${summary.sent.requests} requests: ${summary.results.created} created, ${summary.results.updated} updated, ${summary.results.unchanged} unchanged, ${summary.results.stale} stale, ${summary.results.error} error; reconciliation: ${r.matching} of ${r.appointments} match, ${r.differences.length} difference(s)`
      };
      progress(`  ${marker.simulation.summary}`);
      if (!summary.ok) {
        for (const d of r.differences.slice(0, 20)) {
          progress(
            `  difference: appointment ${d.coconutId} ${d.field}: expected ${String(d.expected)}, org has ${String(d.actual)}`
          );
        }
        for (const m of summary.expectationMismatches.slice(0, 20))
          progress(`  unexpected answer: ${JSON.stringify(m)}`);
        for (const f of summary.batchFailures)
          progress(`  request ${f.batch} failed: ${f.message}`);
      }
      writeFileAtomic(markerFile, JSON.stringify(marker, null, 2));
    }

    const built = await preview.ready.catch((err: Error) => {
      progress(`The record pages could not be built: ${err.message}`);
      return undefined;
    });
    if (built)
      progress(
        `Record pages: ${Object.keys(built.components).length} components ${built.fromCache ? 'loaded from the build cache' : 'compiled'}.`
      );

    const demo = marker.demo;
    const base = info.instanceUrl;
    const token = encodeURIComponent(admin.accessToken);
    const page = (path: string): string => `${base}${path}?token=${token}`;
    const record = (object: string, id: string): string =>
      page(`/lightning/r/${object}/${id}/view`);
    const counts = appointmentsPerRecord(org);
    const contacts = [
      ...demo.contacts,
      ...(demo.convertedLead ? [{ id: demo.convertedLead.contactId, name: '', email: '' }] : [])
    ].map((c) => ({
      ...c,
      name: c.name || String(org.runtime.org.getRecord(c.id)?.Name ?? c.id)
    }));
    const contact = busiest(contacts, counts);
    const lead = busiest(demo.leads, counts);
    const account = busiest(demo.accounts, counts);

    const firstName = contact.name.split(' ')[0] ?? 'Demo';
    const lastName = contact.name.split(' ').slice(1).join(' ') || 'Client';
    const contactEmail = String(
      org.runtime.org.getRecord(contact.id)?.Email ?? 'demo.client@example.com'
    );
    const postBase = {
      method: 'POST' as const,
      url: `${base}${ENDPOINT}`,
      headers: {
        Authorization: `Bearer ${integration.accessToken}`,
        'Content-Type': 'application/json'
      },
      body: JSON.stringify(sampleAppointment({ firstName, lastName, email: contactEmail }))
    };
    const healthBase = {
      method: 'GET' as const,
      url: `${base}${HEALTH_ENDPOINT}`,
      headers: { Authorization: `Bearer ${integration.accessToken}` }
    };

    const startInfo: StartInfo = {
      instanceUrl: base,
      dataDir,
      firstStart,
      users: info.users,
      admin: { username: admin.username, accessToken: admin.accessToken },
      integration: { username: integration.username, accessToken: integration.accessToken },
      oauth: { ...info.oauth, tokenUrl: `${base}/services/oauth2/token` },
      endpoints: { appointments: `${base}${ENDPOINT}`, health: `${base}${HEALTH_ENDPOINT}` },
      examples: {
        postAppointment: { ...postBase, curl: curlOf(postBase) },
        health: { ...healthBase, curl: curlOf(healthBase) },
        clientCredentials: curlOf({
          method: 'POST',
          url: `${base}/services/oauth2/token`,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `grant_type=client_credentials&client_id=${info.oauth.clientId}&client_secret=${info.oauth.clientSecret}`
        })
      },
      links: {
        home: page('/lightning/page/home'),
        contact: {
          id: contact.id,
          name: contact.name,
          url: record('Contact', contact.id),
          appointments: contact.appointments
        },
        lead: {
          id: lead.id,
          name: lead.name,
          url: record('Lead', lead.id),
          appointments: lead.appointments
        },
        account: {
          id: account.id,
          name: account.name,
          url: record('Account', account.id),
          appointments: account.appointments
        },
        opportunity: { ...demo.opportunity, url: record('Opportunity', demo.opportunity.id) },
        personAccount: demo.personAccount
          ? { ...demo.personAccount, url: record('Account', demo.personAccount.id) }
          : null,
        lists: {
          Contact: page('/lightning/o/Contact/list'),
          Lead: page('/lightning/o/Lead/list'),
          Account: page('/lightning/o/Account/list'),
          Opportunity: page('/lightning/o/Opportunity/list')
        }
      },
      sf: [
        `SF_ACCESS_TOKEN='${admin.accessToken}' npx sf org login access-token --instance-url ${base} --no-prompt --alias local`,
        `npx sf data query -o local -q "SELECT Name, Status__c, Start__c FROM Coconut_Appointment__c ORDER BY Start__c DESC LIMIT 5"`,
        `npx sf api request rest ${HEALTH_ENDPOINT} -o local`
      ],
      demo,
      simulation: marker.simulation,
      timings: { buildMs, orgMs, seedMs, simulationMs, totalMs: Date.now() - t0 }
    };
    return { info: startInfo, org, close };
  } catch (err) {
    await close();
    throw err;
  }
}
