// Standalone preview: loads the project into an in-process org (local-org/data +
// local-org/apex), seeds a few standard records, and serves the record pages on 127.0.0.1
// as the org's admin user — no server, no login.
//
//   tsx local-org/preview/serve.ts [--project <dir>] [--port 6110] [--time-zone America/Toronto]
//                                  [--apex <file.apex>]…
//
// `--apex` runs anonymous Apex after seeding (as the admin), e.g. to create records of the
// project's own objects.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Org } from '../data/org.ts';
import { Interp } from '../apex/interp.ts';
import { parseProject, runAnonymous } from '../apex/project.ts';
import { installTriggerHook } from '../apex/sobject.ts';
import { createInterpreterInvoker } from './aura.ts';
import { createPreviewHandler, type PreviewHandler } from './index.ts';

export interface StandaloneOptions {
  projectDir: string;
  port?: number;
  timeZone?: string;
  /** Anonymous Apex sources run after the standard seed. */
  apex?: string[];
  /** Skip the standard seed records. */
  noSeed?: boolean;
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface Standalone {
  org: Org;
  interp: Interp;
  handler: PreviewHandler;
  server: Server;
  url: string;
  seeded:
    { accountId: string; contactIds: string[]; leadId: string; opportunityId: string } | undefined;
  close(): Promise<void>;
}

/** A few standard records to look at (no project objects: those come from --apex). */
export function seedStandardRecords(org: Org): NonNullable<Standalone['seeded']> {
  const ok = (
    rs: { id: string | null; success: boolean; errors: { message: string }[] }[]
  ): string[] =>
    rs.map((r) => {
      if (!r.success) throw new Error(`seed failed: ${r.errors.map((e) => e.message).join('; ')}`);
      return r.id!;
    });
  const ctx = { userId: org.adminUserId, mode: 'system' as const };
  const [accountId] = ok(
    org.insert(
      'Account',
      [
        {
          Name: 'Maple Credit Union',
          Phone: '(416) 555-0100',
          Industry: 'Banking',
          Type: 'Customer - Direct'
        }
      ],
      ctx
    )
  );
  const contactIds = ok(
    org.insert(
      'Contact',
      [
        {
          FirstName: 'Amélie',
          LastName: 'Tremblay',
          Email: 'amelie.tremblay@example.com',
          Phone: '(416) 555-0101',
          Title: 'Owner',
          AccountId: accountId
        },
        {
          FirstName: 'Jordan',
          LastName: 'Okafor',
          Email: 'jordan.okafor@example.com',
          Phone: '(416) 555-0102',
          AccountId: accountId
        }
      ],
      ctx
    )
  );
  const [leadId] = ok(
    org.insert(
      'Lead',
      [
        {
          FirstName: 'Priya',
          LastName: 'Sharma',
          Company: 'Sharma Bakery',
          Email: 'priya@example.com',
          Status: 'Open - Not Contacted'
        }
      ],
      ctx
    )
  );
  const [opportunityId] = ok(
    org.insert(
      'Opportunity',
      [
        {
          Name: 'Maple CU — Mortgage renewal',
          StageName: 'Prospecting',
          CloseDate: '2027-03-31',
          AccountId: accountId
        }
      ],
      ctx
    )
  );
  return { accountId: accountId!, contactIds, leadId: leadId!, opportunityId: opportunityId! };
}

export async function startStandalone(opts: StandaloneOptions): Promise<Standalone> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const projectDir = resolve(opts.projectDir);
  const org = await Org.load(projectDir, opts.timeZone ? { timeZone: opts.timeZone } : {});
  const interp = new Interp();
  interp.data = org as never;
  installTriggerHook(interp);
  interp.userTz = org.userTimeZone(org.adminUserId);
  interp.load(parseProject(projectDir));

  const seeded = opts.noSeed ? undefined : seedStandardRecords(org);
  for (const file of opts.apex ?? []) {
    interp.userId = org.adminUserId;
    const r = runAnonymous(interp, readFileSync(file, 'utf8'), file);
    interp.userId = null;
    if (!r.ok) throw new Error(`${file}: ${r.error}`);
  }

  const handler = createPreviewHandler({
    projectDir,
    org,
    apex: createInterpreterInvoker({ org, sourceDir: projectDir, interpreter: () => interp }),
    defaultUserId: org.adminUserId,
    cacheDir: opts.cacheDir,
    log
  });
  const server = createServer((req, res) => {
    if (!handler(req, res)) {
      if (req.url === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (req.url === '/' || req.url === '') {
        res.writeHead(302, { Location: '/lightning/page/home' });
        res.end();
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
    }
  });
  await new Promise<void>((ok) => server.listen(opts.port ?? 6110, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 6110);
  const url = `http://127.0.0.1:${port}`;
  return {
    org,
    interp,
    handler,
    server,
    url,
    seeded,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : ok()));
      })
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      project: { type: 'string', default: process.cwd() },
      port: { type: 'string', default: '6110' },
      'time-zone': { type: 'string' },
      apex: { type: 'string', multiple: true },
      'no-seed': { type: 'boolean', default: false }
    }
  });
  const s = await startStandalone({
    projectDir: values.project!,
    port: Number(values.port),
    timeZone: values['time-zone'],
    apex: values.apex,
    noSeed: values['no-seed']
  });
  await s.handler.ready;
  const lines = [
    `local-org preview on ${s.url} (signed in as the admin user)`,
    `  home:     ${s.url}/lightning/page/home`
  ];
  for (const o of ['Lead', 'Contact', 'Account', 'Opportunity'])
    lines.push(`  ${o.padEnd(9)} ${s.url}/lightning/o/${o}/list`);
  if (s.seeded)
    lines.push(`  a record: ${s.url}/lightning/r/Contact/${s.seeded.contactIds[0]}/view`);
  console.log(lines.join('\n'));
  const stop = () => {
    void s.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (
  import.meta.url === `file://${process.argv[1]}` ||
  process.argv[1]?.endsWith('preview/serve.ts')
) {
  main().catch((err: Error) => {
    console.error(`local-org preview: ${err.message}`);
    process.exit(1);
  });
}
