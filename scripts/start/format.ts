// What `npm start` prints once everything is up.
import type { StartInfo } from './start.ts';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function formatReady(info: StartInfo): string {
  const l = info.links;
  const lines: string[] = [
    '',
    `Coconut for Salesforce is running on a local org at ${info.instanceUrl}`,
    `  state: ${info.dataDir} (${info.firstStart ? 'first start: demo data seeded' : 'kept from an earlier start; npm start -- --fresh starts over'})`,
    ''
  ];
  if (info.simulation) {
    lines.push(
      `Coconut simulator (${info.firstStart ? 'just now' : `first start, ${info.simulation.firstRunAt.slice(0, 16).replace('T', ' ')} UTC`}; seed "${info.simulation.seed}", anchor ${info.simulation.anchor}):`,
      `  ${info.simulation.summary}`,
      `  ${info.simulation.ok ? 'OK: every answer was as expected and the org matches what was sent.' : 'DIFFERENCES: see the lines above (npm run simulate shows them again).'}`,
      ''
    );
  }
  lines.push(
    'Record pages (open in a browser; the token signs you in as the admin):',
    `  Home:        ${l.home}`,
    `  Contact:     ${l.contact.url}`,
    `               ${l.contact.name}, ${l.contact.appointments} appointment(s)`,
    `  Lead:        ${l.lead.url}`,
    `               ${l.lead.name}, ${l.lead.appointments} appointment(s)`,
    `  Account:     ${l.account.url}`,
    `               ${l.account.name}`,
    `  Opportunity: ${l.opportunity.url}`,
    `               ${l.opportunity.name}`
  );
  if (l.personAccount) lines.push(`  Person Account: ${l.personAccount.url}`);
  lines.push(
    `  Lists:       ${info.instanceUrl}/lightning/o/{Contact,Lead,Account,Opportunity}/list (once a link above has signed you in)`,
    '',
    'Users (access tokens stay valid while the org runs):'
  );
  for (const u of info.users) {
    lines.push(
      `  ${u.username}  [${u.profile}${u.permissionSets.length ? `; ${u.permissionSets.join(', ')}` : ''}]`,
      `    access token: ${u.accessToken}`
    );
  }
  lines.push(
    '',
    `OAuth client credentials (Coconut's flow; runs as ${info.oauth.clientCredentialsUser}):`,
    `  client id:     ${info.oauth.clientId}`,
    `  client secret: ${info.oauth.clientSecret}`,
    `  token URL:     ${info.oauth.tokenUrl}`,
    '',
    'Coconut sync API (Apex REST):',
    `  POST ${info.endpoints.appointments}`,
    `  GET  ${info.endpoints.health}`,
    '',
    `Send one appointment (as the integration user; it lands on ${l.contact.name}'s page):`,
    info.examples.postAppointment.curl,
    '',
    'Health check:',
    info.examples.health.curl,
    '',
    'Use the sf CLI against it:',
    ...info.sf.map((s) => `  ${s}`),
    '',
    `Ready in ${seconds(info.timings.totalMs)} (build ${seconds(info.timings.buildMs)}, org ${seconds(info.timings.orgMs)}${info.firstStart ? `, seed ${seconds(info.timings.seedMs)}, simulator ${seconds(info.timings.simulationMs)}` : ''}). Ctrl-C stops it; the state is kept.`
  );
  return lines.join('\n');
}
