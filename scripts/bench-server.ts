// `npm run bench:server`: appointments per second through the Coconut Apex REST endpoint of
// a local org (this project's package), at batch sizes 1, 50 and 200, with p50/p95 request
// latency. One client, requests one after another (as Coconut sends them), a fresh org.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalOrg } from '../local-org/server/local-org.ts';

const ENDPOINT = '/services/apexrest/coconut/v1/appointments';
const EXAMPLE = resolve(
  process.env.COCONUT_EXAMPLE ??
    new URL('../docs/api/examples/appointments.json', import.meta.url).pathname
);
const SECONDS_PER_SIZE = Number(process.env.BENCH_SECONDS ?? 15);
const SIZES = (process.env.BENCH_SIZES ?? '1,50,200').split(',').map(Number);

interface Appointment extends Record<string, unknown> {
  attendees: Record<string, unknown>[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

async function main(): Promise<void> {
  const template = (JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { appointments: Appointment[] })
    .appointments[0]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'local-org-bench-'));
  const org = await startLocalOrg({
    projectDir: resolve('.'),
    dataDir,
    port: 0,
    fresh: true,
    log: () => {}
  });
  try {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: org.info.oauth.clientId,
      client_secret: org.info.oauth.clientSecret
    });
    const tokenRes = await fetch(`${org.info.instanceUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString()
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;

    let nextId = 1_000_000;
    const makeAppointment = (): Appointment => {
      const id = nextId++;
      const client = id % 97; // clients recur across appointments, as in a branch's day
      return {
        ...template,
        id,
        code: `B${String(id).padStart(15, '0')}`,
        updated_at: '2026-03-01T18:22:05Z',
        attendees: [
          {
            ...template.attendees[0]!,
            id: id * 10,
            client_id: 50_000 + client,
            email: `client${client}@bench.example`,
            first_name: `Client${client}`,
            last_name: 'Bench'
          }
        ]
      };
    };

    // Warm-up: parse/link the package once so the first measured request is not an outlier.
    await post(org.info.instanceUrl, token, [makeAppointment()]);

    const rows: {
      size: number;
      requests: number;
      appointments: number;
      perSecond: number;
      p50: number;
      p95: number;
    }[] = [];
    for (const size of SIZES) {
      const latencies: number[] = [];
      let appointments = 0;
      const started = performance.now();
      while (performance.now() - started < SECONDS_PER_SIZE * 1000 || latencies.length < 3) {
        const batch = Array.from({ length: size }, makeAppointment);
        const t0 = performance.now();
        const result = await post(org.info.instanceUrl, token, batch);
        latencies.push(performance.now() - t0);
        const bad = result.results.filter((r) => r.status !== 'created');
        if (bad.length > 0)
          throw new Error(`unexpected results: ${JSON.stringify(bad.slice(0, 3))}`);
        appointments += size;
      }
      const elapsed = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      rows.push({
        size,
        requests: latencies.length,
        appointments,
        perSecond: appointments / elapsed,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95)
      });
    }
    const total = org.runtime.org.query(
      'SELECT COUNT() FROM Coconut_Appointment__c',
      {},
      { mode: 'system' }
    ).totalSize;
    const lines = [
      `local-org server benchmark — ${ENDPOINT}, ${SECONDS_PER_SIZE}s per batch size, Node ${process.version}`,
      '',
      '| batch size | requests | appointments | appointments/s | p50 latency (ms) | p95 latency (ms) |',
      '|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.size} | ${r.requests} | ${r.appointments} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} |`
      ),
      '',
      `appointments stored at the end: ${total}`
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(rows)}\n`);
  } finally {
    await org.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function post(
  base: string,
  token: string,
  appointments: Appointment[]
): Promise<{ results: { status: string }[] }> {
  const res = await fetch(`${base}${ENDPOINT}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ appointments })
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as { results: { status: string }[] };
}

await main();
