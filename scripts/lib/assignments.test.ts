import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { structuredPatch } from 'diff';
import {
  appAssignments,
  assignedPages,
  describeAssignment,
  effectiveAssignment,
  objectAssignments,
  setOrgDefaultPage,
  type PageAssignment
} from './assignments.ts';

const DIR = join(import.meta.dirname, '..', '__fixtures__', 'assignments');
const read = (path: string) => readFileSync(join(DIR, path), 'utf8');

function all(): PageAssignment[] {
  return [
    ...objectAssignments('Account', read('objects/Account.object')),
    ...objectAssignments('Lead', read('objects/Lead.object')),
    ...objectAssignments('Contact', read('objects/Contact.object')),
    ...appAssignments(
      'standard__LightningSales',
      read('applications/standard__LightningSales.app')
    ),
    ...appAssignments('Branch_Console', read('applications/Branch_Console.app'))
  ];
}

describe('reading assignments from metadata', () => {
  it('reads org defaults (desktop and phone) and ignores Default overrides', () => {
    assert.deepEqual(objectAssignments('Account', read('objects/Account.object')), [
      { level: 'org-default', sobjectType: 'Account', page: 'Account_Tabs', formFactor: 'Large' },
      { level: 'org-default', sobjectType: 'Account', page: 'Account_Phone', formFactor: 'Small' }
    ]);
    assert.deepEqual(objectAssignments('Lead', read('objects/Lead.object')), []);
  });

  it('reads app defaults and app/record type/profile assignments, skipping non-record pages', () => {
    const branch = appAssignments('Branch_Console', read('applications/Branch_Console.app'));
    assert.deepEqual(branch, [
      {
        level: 'app-default',
        sobjectType: 'Account',
        page: 'Account_No_Sidebar',
        formFactor: 'Large',
        app: 'Branch_Console'
      }
    ]);
    const sales = appAssignments(
      'standard__LightningSales',
      read('applications/standard__LightningSales.app')
    );
    assert.equal(sales.length, 5);
    assert.deepEqual(sales[2], {
      level: 'app-record-type-profile',
      sobjectType: 'Account',
      page: 'Account_Business_Advisor',
      formFactor: 'Large',
      app: 'standard__LightningSales',
      recordType: 'Account.Business',
      profile: 'Advisor'
    });
    assert.equal(sales[4].level, 'app-profile');
  });
});

describe('assignedPages', () => {
  it('lists every distinct desktop page of an object with the assignments that use it', () => {
    const pages = assignedPages('Account', all());
    assert.deepEqual(
      pages.map((p) => [p.page, p.assignments.map(describeAssignment)]),
      [
        ['Account_Tabs', ['org default']],
        ['Account_No_Sidebar', ['app default in Branch_Console']],
        [
          'Account_Business_Advisor',
          [
            'standard__LightningSales, record type Account.Business, profile Advisor',
            'standard__LightningSales, record type Account.Business, profile Admin'
          ]
        ]
      ]
    );
  });

  it('is empty for an object on the system default page', () => {
    assert.deepEqual(assignedPages('Contact', all()), []);
  });

  it('finds app-only assignments when there is no org default', () => {
    assert.deepEqual(
      assignedPages('Lead', all()).map((p) => p.page),
      ['Lead_Record_Page']
    );
  });
});

describe('effectiveAssignment', () => {
  const assignments = all();
  it('app + record type + profile beats the app default and the org default', () => {
    const a = effectiveAssignment('Account', assignments, {
      app: 'standard__LightningSales',
      recordType: 'Account.Business',
      profile: 'Advisor'
    });
    assert.equal(a?.page, 'Account_Business_Advisor');
  });
  it('falls back to the app default, then the org default', () => {
    assert.equal(
      effectiveAssignment('Account', assignments, { app: 'Branch_Console', profile: 'Advisor' })
        ?.page,
      'Account_No_Sidebar'
    );
    assert.equal(
      effectiveAssignment('Account', assignments, {
        app: 'standard__LightningSales',
        recordType: 'Account.Business',
        profile: 'Standard'
      })?.page,
      'Account_Tabs'
    );
  });
  it('is undefined when the system default applies', () => {
    assert.equal(effectiveAssignment('Lead', assignments, { app: 'Branch_Console' }), undefined);
    assert.equal(
      effectiveAssignment('Contact', assignments, {
        app: 'standard__LightningSales',
        profile: 'Advisor'
      }),
      undefined
    );
  });
  it('uses phone assignments for the Small form factor', () => {
    assert.equal(
      effectiveAssignment('Contact', assignments, {
        app: 'standard__LightningSales',
        profile: 'Advisor',
        formFactor: 'Small'
      })?.page,
      'Contact_Phone'
    );
  });
});

describe('setOrgDefaultPage', () => {
  it('replaces the View Default override with a FlexiPage override and changes nothing else', () => {
    const before = read('objects/Lead.object');
    const result = setOrgDefaultPage(before, 'Coconut_Lead_Record_Page');
    assert.equal(result.changed, true);
    assert.deepEqual(objectAssignments('Lead', result.xml), [
      {
        level: 'org-default',
        sobjectType: 'Lead',
        page: 'Coconut_Lead_Record_Page',
        formFactor: 'Large'
      }
    ]);
    const withoutOverrides = (xml: string) =>
      xml.replace(/ *<actionOverrides>[\s\S]*?<\/actionOverrides>\n/g, '');
    assert.equal(withoutOverrides(result.xml), withoutOverrides(before));
    const edit = structuredPatch('a', 'b', before, result.xml, '', '', { context: 0 });
    assert.equal(edit.hunks.length, 1);
    assert.ok(
      result.xml.includes('        <actionName>Edit</actionName>\n        <type>Default</type>')
    );
    assert.equal(setOrgDefaultPage(result.xml, 'Coconut_Lead_Record_Page').changed, false);
  });

  it('adds the override to an object file that has none, before the other elements', () => {
    const result = setOrgDefaultPage(read('objects/Contact.object'), 'Coconut_Contact_Record_Page');
    assert.ok(result.xml.indexOf('<actionOverrides>') < result.xml.indexOf('<enableFeeds>'));
    assert.equal(objectAssignments('Contact', result.xml)[0].page, 'Coconut_Contact_Record_Page');
  });

  it('keeps the phone override when replacing the desktop one', () => {
    const result = setOrgDefaultPage(read('objects/Account.object'), 'Other_Page');
    assert.deepEqual(
      objectAssignments('Account', result.xml).map((a) => `${a.formFactor}:${a.page}`),
      ['Large:Other_Page', 'Small:Account_Phone']
    );
  });
});
