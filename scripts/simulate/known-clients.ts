/**
 * Salesforce records the simulated clients may match: read from a JSON file (an array of
 * KnownClient) or from the org's Leads and Contacts. Records the sync itself created
 * (LeadSource 'Coconut') are left out so that reruns see the same known clients.
 */
import { readFileSync } from 'node:fs';
import type { KnownClient } from './generator.ts';
import { queryAll } from './reconcile.ts';
import type { OrgClient } from './transport.ts';

export const KNOWN_CLIENT_LIMIT = 100;

export function readKnownClientsFile(file: string): KnownClient[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of known clients`);
  return parsed.map((raw, i) => {
    const r = raw as Partial<KnownClient>;
    if (
      typeof r.id !== 'string' ||
      !['Lead', 'Contact', 'Account'].includes(String(r.type)) ||
      typeof r.lastName !== 'string'
    ) {
      throw new Error(
        `${file}[${i}]: each known client needs id (Salesforce Id), type (Lead, Contact or Account) and lastName`
      );
    }
    return {
      id: r.id,
      type: r.type!,
      firstName: r.firstName ?? null,
      lastName: r.lastName,
      email: r.email ?? null,
      phone: r.phone ?? null,
      converted: r.converted === true,
      convertedContactId: r.convertedContactId ?? null
    };
  });
}

interface PersonRow {
  Id: string;
  FirstName: string | null;
  LastName: string;
  Email: string | null;
  Phone: string | null;
  ConvertedContactId?: string | null;
}

export async function queryKnownClients(
  client: OrgClient,
  apiVersion: string
): Promise<KnownClient[]> {
  const notOurs = "(LeadSource = null OR LeadSource != 'Coconut')";
  const leads = await queryAll<PersonRow>(
    client,
    apiVersion,
    `SELECT Id, FirstName, LastName, Email, Phone FROM Lead WHERE IsConverted = false AND ${notOurs} ORDER BY CreatedDate, Id LIMIT ${KNOWN_CLIENT_LIMIT}`
  );
  const converted = await queryAll<PersonRow>(
    client,
    apiVersion,
    `SELECT Id, FirstName, LastName, Email, Phone, ConvertedContactId FROM Lead WHERE IsConverted = true AND ${notOurs} ORDER BY CreatedDate, Id LIMIT ${KNOWN_CLIENT_LIMIT / 2}`
  );
  const contacts = await queryAll<PersonRow>(
    client,
    apiVersion,
    `SELECT Id, FirstName, LastName, Email, Phone FROM Contact WHERE ${notOurs} ORDER BY CreatedDate, Id LIMIT ${KNOWN_CLIENT_LIMIT}`
  );
  const person = (row: PersonRow, type: KnownClient['type']): KnownClient => ({
    id: row.Id,
    type,
    firstName: row.FirstName,
    lastName: row.LastName,
    email: row.Email,
    phone: row.Phone
  });
  return [
    ...leads.map((r) => person(r, 'Lead')),
    ...converted.map((r) => ({
      ...person(r, 'Lead'),
      converted: true,
      convertedContactId: r.ConvertedContactId ?? null
    })),
    ...contacts.map((r) => person(r, 'Contact'))
  ];
}
