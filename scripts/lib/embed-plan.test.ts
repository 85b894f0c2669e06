import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parsePatch } from 'diff';
import { objectAssignments } from './assignments.ts';
import {
  formatPlan,
  hasChanges,
  pagesToRetrieve,
  planDiff,
  planEmbed,
  planFiles,
  planMembers,
  planScope,
  planUnembed,
  type DiscoveredMetadata
} from './embed-plan.ts';
import { findComponent } from './flexipage.ts';

const FIX = join(import.meta.dirname, '..', '__fixtures__');
const read = (p: string) => readFileSync(join(FIX, p), 'utf8');
const page = (n: string) => read(`flexipages/${n}.flexipage-meta.xml`);

function discovered(): DiscoveredMetadata {
  return {
    objects: {
      Account: read('assignments/objects/Account.object'),
      Lead: read('assignments/objects/Lead.object'),
      Contact: read('assignments/objects/Contact.object'),
      Opportunity: read('assignments/objects/Lead.object').replace(/Company/g, 'Name')
    },
    apps: {
      standard__LightningSales: read('assignments/applications/standard__LightningSales.app'),
      Branch_Console: read('assignments/applications/Branch_Console.app')
    },
    pages: {
      Account_Tabs: page('Account_Tabs'),
      Account_No_Sidebar: page('Account_No_Sidebar'),
      Lead_Record_Page: page('Lead_Record_Page'),
      Opportunity_Three_Column: page('Opportunity_Three_Column')
    }
  };
}
const OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity'];

describe('planEmbed', () => {
  it('knows which pages to retrieve', () => {
    assert.deepEqual(pagesToRetrieve(OBJECTS, discovered()), [
      'Account_Business_Advisor',
      'Account_No_Sidebar',
      'Account_Tabs',
      'Lead_Record_Page',
      'Opportunity_Three_Column'
    ]);
  });

  it('edits every assigned page, creates and activates a page where there is none, skips what is missing', () => {
    const plan = planEmbed(OBJECTS, discovered(), { properties: { pageSize: '5' } });
    assert.deepEqual(
      plan.pages.map((p) => `${p.object}/${p.page}:${p.action}:${p.region ?? '-'}`),
      [
        'Lead/Lead_Record_Page:edit:sidebar',
        'Contact/Coconut_Contact_Record_Page:create:sidebar',
        'Account/Account_Tabs:edit:sidebar',
        'Account/Account_No_Sidebar:edit:sidebar',
        'Account/Account_Business_Advisor:skip:-',
        'Opportunity/Opportunity_Three_Column:edit:rightsidebar'
      ]
    );
    assert.deepEqual(
      plan.objects.map((o) => o.object),
      ['Contact']
    );
    assert.equal(
      objectAssignments('Contact', plan.objects[0].after)[0].page,
      'Coconut_Contact_Record_Page'
    );
    assert.deepEqual([...planFiles(plan).keys()].sort(), [
      'flexipages/Account_No_Sidebar.flexipage',
      'flexipages/Account_Tabs.flexipage',
      'flexipages/Coconut_Contact_Record_Page.flexipage',
      'flexipages/Lead_Record_Page.flexipage',
      'flexipages/Opportunity_Three_Column.flexipage',
      'objects/Contact.object'
    ]);
    assert.deepEqual(
      planMembers(plan).map((m) => `${m.type}:${m.fullName}`),
      [
        'FlexiPage:Lead_Record_Page',
        'FlexiPage:Coconut_Contact_Record_Page',
        'FlexiPage:Account_Tabs',
        'FlexiPage:Account_No_Sidebar',
        'FlexiPage:Opportunity_Three_Column',
        'CustomObject:Contact'
      ]
    );
    for (const xml of planFiles(plan).values()) {
      if (xml.includes('<FlexiPage')) assert.equal(findComponent(xml).length, 1);
    }
    assert.match(formatPlan(plan), /Account: Account_Business_Advisor \[skip\]/);
    const again = planEmbed(OBJECTS, {
      ...discovered(),
      pages: { ...discovered().pages, Lead_Record_Page: plan.pages[0].after as string }
    });
    assert.ok(
      planScope(again).some((m) => m.fullName === 'Lead_Record_Page'),
      'the backup scope keeps an assigned page even when the embed would not change it'
    );
    assert.ok(!planMembers(again).some((m) => m.fullName === 'Lead_Record_Page'));
  });

  it('is idempotent: planning again over the result changes nothing', () => {
    const meta = discovered();
    const first = planEmbed(OBJECTS, meta);
    const files = planFiles(first);
    const after: DiscoveredMetadata = {
      objects: { ...meta.objects, Contact: files.get('objects/Contact.object') ?? '' },
      apps: meta.apps,
      pages: Object.fromEntries([
        ...Object.entries(meta.pages),
        ...first.pages.filter((p) => p.after).map((p) => [p.page, p.after as string])
      ])
    };
    const second = planEmbed(OBJECTS, after);
    assert.equal(hasChanges(second), false);
    assert.ok(
      second.pages.filter((p) => p.action !== 'skip').every((p) => p.action === 'unchanged')
    );
  });

  it('previews as a unified diff that parses and only adds lines to existing pages', () => {
    const plan = planEmbed(['Lead', 'Contact'], discovered());
    const patches = parsePatch(planDiff(plan));
    assert.deepEqual(
      patches.map((p) => p.newFileName),
      [
        'b/flexipages/Lead_Record_Page.flexipage',
        'b/flexipages/Coconut_Contact_Record_Page.flexipage',
        'b/objects/Contact.object'
      ]
    );
    assert.equal(patches[1].oldFileName, '/dev/null');
    const leadLines = patches[0].hunks.flatMap((h) => h.lines);
    assert.equal(leadLines.filter((l) => l.startsWith('-')).length, 0);
    assert.equal(
      leadLines.filter((l) => l.startsWith('+')).length,
      6,
      'itemInstances, componentInstance, name, identifier and the two closing tags'
    );
  });

  it('skips an object on the system default page whose definition could not be retrieved', () => {
    const meta = discovered();
    delete meta.objects.Contact;
    const plan = planEmbed(['Contact'], meta);
    assert.deepEqual(
      plan.pages.map((p) => `${p.page}:${p.action}`),
      ['Coconut_Contact_Record_Page:skip']
    );
    assert.match(plan.pages[0].message, /object definition could not be retrieved/);
    assert.equal(hasChanges(plan), false);
  });
});

describe('planUnembed', () => {
  it('removes the component where it is and leaves other pages alone', () => {
    const meta = discovered();
    const embedded = planEmbed(['Lead'], meta, { properties: { pageSize: '5' } });
    meta.pages.Lead_Record_Page = embedded.pages[0].after as string;
    const plan = planUnembed(['Lead', 'Opportunity'], meta);
    assert.deepEqual(
      plan.pages.map((p) => `${p.page}:${p.action}`),
      ['Lead_Record_Page:edit', 'Opportunity_Three_Column:unchanged']
    );
    assert.equal(plan.pages[0].after, page('Lead_Record_Page'));
  });
});
