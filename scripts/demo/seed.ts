/**
 * Demo data for `npm start`: a credit union's business clients (Accounts with Contacts), open
 * Leads and one converted Lead, an Opportunity, a Person Account when the org has Person
 * Accounts, and the advisors of the Coconut simulator's catalog as Users (Coconut_Staff_Id__c and
 * the same emails, so synced appointments get real owners) with the Coconut_User permission set.
 *
 * Written straight into the local org's data layer (system mode, as the admin user), so Apex
 * triggers installed on the org fire as they would for any DML.
 */
import type { Org } from '../../local-org/data/org.ts';
import { BRANCHES, STAFF } from '../simulate/catalog.ts';

export interface DemoIds {
  accounts: { id: string; name: string }[];
  contacts: { id: string; name: string; email: string }[];
  leads: { id: string; name: string; email: string | null }[];
  convertedLead: { leadId: string; contactId: string; accountId: string } | null;
  personAccount: { id: string; name: string } | null;
  opportunity: { id: string; name: string };
  staffUsers: { id: string; username: string; staffId: string }[];
}

type Result = { id: string | null; success: boolean; errors: { message: string }[] };

function ids(results: Result[], what: string): string[] {
  return results.map((r) => {
    if (!r.success)
      throw new Error(`demo seed: ${what}: ${r.errors.map((e) => e.message).join('; ')}`);
    return r.id!;
  });
}

const BUSINESSES = [
  {
    account: {
      Name: 'Harbourfront Bakery Ltd.',
      Industry: 'Food & Beverage',
      Type: 'Customer - Direct',
      Phone: '+1 416 555 0140',
      BillingCity: 'Toronto',
      BillingState: 'ON',
      BillingCountry: 'CA'
    },
    contacts: [
      ['Nadia', 'Haddad', 'Owner', 'nadia.haddad@harbourfrontbakery.example', '+1 416 555 0141'],
      ['Tom', 'Okafor', 'Bookkeeper', 'tom.okafor@harbourfrontbakery.example', '+1 416 555 0142']
    ]
  },
  {
    account: {
      Name: 'Rideau Canal Dental Clinic',
      Industry: 'Healthcare',
      Type: 'Customer - Direct',
      Phone: '+1 613 555 0150',
      BillingCity: 'Ottawa',
      BillingState: 'ON',
      BillingCountry: 'CA'
    },
    contacts: [
      [
        'Claire',
        'Bouchard',
        'Practice Owner',
        'claire.bouchard@rideaudental.example',
        '+1 613 555 0151'
      ]
    ]
  },
  {
    account: {
      Name: 'Prairie Wind Logistics Inc.',
      Industry: 'Transportation',
      Type: 'Customer - Direct',
      Phone: '+1 204 555 0160',
      BillingCity: 'Winnipeg',
      BillingState: 'MB',
      BillingCountry: 'CA'
    },
    contacts: [
      ['Ravi', 'Sandhu', 'CFO', 'ravi.sandhu@prairiewind.example', '+1 204 555 0161'],
      [
        'Jenna',
        'Kowalski',
        'Operations Manager',
        'jenna.kowalski@prairiewind.example',
        '+1 204 555 0162'
      ]
    ]
  },
  {
    account: {
      Name: 'Coastal Kayak Tours',
      Industry: 'Recreation',
      Type: 'Prospect',
      Phone: '+1 902 555 0170',
      BillingCity: 'Halifax',
      BillingState: 'NS',
      BillingCountry: 'CA'
    },
    contacts: [
      ['Liam', 'MacDonald', 'Owner', 'liam.macdonald@coastalkayak.example', '+1 902 555 0171']
    ]
  }
] as const;

const LEADS = [
  ['Sofia', 'Marino', 'Marino Family Farm', 'sofia.marino@example.com', '+1 604 555 0181'],
  [
    'Kenji',
    'Watanabe',
    'Watanabe Design Studio',
    'kenji@watanabedesign.example',
    '+1 416 555 0182'
  ],
  ['Aisha', 'Bello', 'Bello Catering', 'aisha.bello@example.com', '+1 613 555 0183'],
  ['Pierre', 'Lavoie', 'Lavoie Renovations', null, '+1 204 555 0184'],
  ['Grace', 'Thompson', 'Thompson Household', 'grace.thompson@example.com', '+1 902 555 0185']
] as const;

/** The lead that is converted (to a new Account and Contact, no Opportunity). */
const CONVERTED_LEAD = [
  'Marcus',
  'Reid',
  'Reid Plumbing & Heating',
  'marcus.reid@reidplumbing.example',
  '+1 416 555 0190'
] as const;

export function staffUsername(email: string): string {
  return `${email.split('@')[0]}@northernshores.local-org.invalid`;
}

export function seedDemoData(org: Org): DemoIds {
  const ctx = { userId: org.adminUserId, mode: 'system' as const };
  const sys = { mode: 'system' as const };

  // The admin looks at the pages in the credit union's head-office time zone.
  ids(
    org.update('User', [{ Id: org.adminUserId, TimeZoneSidKey: 'America/Toronto' }], ctx),
    'admin time zone'
  );

  const accountIds = ids(
    org.insert(
      'Account',
      BUSINESSES.map((b) => ({ ...b.account, Description: 'Business member (demo data)' })),
      ctx
    ),
    'accounts'
  );
  const contacts: DemoIds['contacts'] = [];
  BUSINESSES.forEach((b, i) => {
    const rows = b.contacts.map(([FirstName, LastName, Title, Email, Phone]) => ({
      FirstName,
      LastName,
      Title,
      Email,
      Phone,
      AccountId: accountIds[i]
    }));
    ids(org.insert('Contact', rows, ctx), 'contacts').forEach((id, j) =>
      contacts.push({
        id,
        name: `${rows[j]!.FirstName} ${rows[j]!.LastName}`,
        email: rows[j]!.Email
      })
    );
  });

  const leadRows = [...LEADS, CONVERTED_LEAD].map(
    ([FirstName, LastName, Company, Email, Phone]) => ({
      FirstName,
      LastName,
      Company,
      Email,
      Phone,
      LeadSource: 'Web',
      Status: 'Open - Not Contacted'
    })
  );
  const leadIds = ids(org.insert('Lead', leadRows, ctx), 'leads');
  const leads = leadIds.map((id, i) => ({
    id,
    name: `${leadRows[i]!.FirstName} ${leadRows[i]!.LastName}`,
    email: leadRows[i]!.Email
  }));

  let convertedLead: DemoIds['convertedLead'] = null;
  const conversion = org.convertLead(
    [
      {
        leadId: leadIds[leadIds.length - 1]!,
        convertedStatus: 'Closed - Converted',
        doNotCreateOpportunity: true
      }
    ],
    ctx
  )[0];
  if (conversion?.success && conversion.contactId && conversion.accountId) {
    convertedLead = {
      leadId: conversion.leadId,
      contactId: conversion.contactId,
      accountId: conversion.accountId
    };
  } else {
    throw new Error(`demo seed: lead conversion failed: ${JSON.stringify(conversion)}`);
  }

  let personAccount: DemoIds['personAccount'] = null;
  if (org.options.personAccounts) {
    const [id] = ids(
      org.insert(
        'Account',
        [
          {
            FirstName: 'Evelyn',
            LastName: 'Park',
            PersonEmail: 'evelyn.park@example.com',
            Phone: '+1 604 555 0195'
          }
        ],
        ctx
      ),
      'person account'
    );
    personAccount = { id: id!, name: 'Evelyn Park' };
  }

  const opportunityName = 'Prairie Wind Logistics — fleet equipment loan';
  const [opportunityId] = ids(
    org.insert(
      'Opportunity',
      [
        {
          Name: opportunityName,
          AccountId: accountIds[2],
          StageName: 'Qualification',
          CloseDate: new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10),
          Amount: 250000
        }
      ],
      ctx
    ),
    'opportunity'
  );

  // Advisors: the simulator's staff, so the package assigns appointment owners.
  const profileId = String(
    org.query("SELECT Id FROM Profile WHERE Name = 'Standard User'", {}, sys).records[0]?.Id ?? ''
  );
  const permsetId = String(
    org.query("SELECT Id FROM PermissionSet WHERE Name = 'Coconut_User'", {}, sys).records[0]?.Id ??
      ''
  );
  if (!profileId || !permsetId)
    throw new Error('demo seed: no Standard User profile or Coconut_User permission set');
  const zoneOf = new Map(BRANCHES.map((b) => [b.location.id, b.location.timezone]));
  const staffRows = STAFF.map((s, i) => ({
    Username: staffUsername(s.email),
    FirstName: s.first_name,
    LastName: s.last_name,
    Email: s.email,
    Alias: `${s.first_name.slice(0, 1)}${s.last_name.slice(0, 4)}`
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase(),
    CommunityNickname: `advisor${s.id}`,
    ProfileId: profileId,
    IsActive: true,
    TimeZoneSidKey: zoneOf.get(s.locationId) ?? 'America/Toronto',
    LocaleSidKey: 'en_CA',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    Coconut_Staff_Id__c: String(s.id),
    Title: `Advisor ${i + 1}`
  }));
  const staffIds = ids(org.insert('User', staffRows, sys), 'staff users');
  ids(
    org.insert(
      'PermissionSetAssignment',
      staffIds.map((id) => ({ AssigneeId: id, PermissionSetId: permsetId })),
      sys
    ),
    'Coconut_User assignments'
  );

  return {
    accounts: accountIds.map((id, i) => ({ id, name: BUSINESSES[i]!.account.Name })),
    contacts,
    leads: leads.slice(0, LEADS.length),
    convertedLead,
    personAccount,
    opportunity: { id: opportunityId!, name: opportunityName },
    staffUsers: staffIds.map((id, i) => ({
      id,
      username: staffRows[i]!.Username,
      staffId: staffRows[i]!.Coconut_Staff_Id__c
    }))
  };
}
