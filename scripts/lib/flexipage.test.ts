import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { structuredPatch } from 'diff';
import {
  describeFlexiPage,
  embedComponent,
  findComponent,
  FlexiPageError,
  newRecordPage,
  recordPageDefaults,
  recordPageObjects,
  unembedComponent
} from './flexipage.ts';
import { roundTrips } from './xml.ts';

const FIXTURES = join(import.meta.dirname, '..', '__fixtures__', 'flexipages');
const fixture = (name: string) =>
  readFileSync(join(FIXTURES, `${name}.flexipage-meta.xml`), 'utf8');

/** Lines the edit added and removed (unified diff without context). */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const patch = structuredPatch('a', 'b', before, after, '', '', { context: 0 });
  const lines = patch.hunks.flatMap((h) => h.lines);
  return {
    added: lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1)),
    removed: lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1))
  };
}

describe('flexipage XML round trip', () => {
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'))) {
    it(`parse → build gives back ${file} byte for byte`, () => {
      assert.equal(roundTrips(readFileSync(join(FIXTURES, file), 'utf8')), true);
    });
  }
});

describe('embedComponent', () => {
  it('adds the component at the end of the sidebar of a header/main/sidebar page, touching nothing else', () => {
    const before = fixture('Lead_Record_Page');
    const result = embedComponent(before);
    assert.equal(result.changed, true);
    assert.equal(result.region, 'sidebar');
    const { added, removed } = changedLines(before, result.xml);
    assert.deepEqual(removed, []);
    assert.deepEqual(added, [
      '        <itemInstances>',
      '            <componentInstance>',
      '                <componentName>coconutAppointments</componentName>',
      '                <identifier>coconutAppointments</identifier>',
      '            </componentInstance>',
      '        </itemInstances>'
    ]);
    const sidebar = describeFlexiPage(result.xml).regions.find((r) => r.name === 'sidebar');
    assert.deepEqual(
      sidebar?.components.map((c) => c.componentName),
      [
        'runtime_sales_activities:activityPanel',
        'forceChatter:recordFeedContainer',
        'coconutAppointments'
      ]
    );
  });

  it('is idempotent: embedding twice changes nothing the second time', () => {
    const once = embedComponent(fixture('Lead_Record_Page')).xml;
    const twice = embedComponent(once, { region: 'main' });
    assert.equal(twice.changed, false);
    assert.equal(twice.xml, once);
    assert.match(twice.message, /already on the page \(region sidebar\)/);
  });

  it('leaves a page that already has the component unchanged', () => {
    const before = fixture('Contact_With_Coconut');
    const result = embedComponent(before);
    assert.equal(result.changed, false);
    assert.equal(result.xml, before);
    assert.equal(result.region, 'main');
  });

  it('uses the right sidebar of a three-column page and keeps entities in other elements as written', () => {
    const before = fixture('Opportunity_Three_Column');
    const result = embedComponent(before, { position: 'top', properties: { pageSize: '5' } });
    assert.equal(result.region, 'rightsidebar');
    const { added, removed } = changedLines(before, result.xml);
    assert.deepEqual(removed, []);
    assert.equal(added.length, 10);
    assert.ok(result.xml.includes('Sales &amp; Service view &lt;three columns&gt;'));
    const right = describeFlexiPage(result.xml).regions.find((r) => r.name === 'rightsidebar');
    assert.deepEqual(
      right?.components.map((c) => c.componentName),
      ['coconutAppointments', 'runtime_sales_activities:activityPanel']
    );
    assert.ok(
      result.xml.includes(
        '                <componentInstanceProperties>\n                    <name>pageSize</name>\n                    <value>5</value>'
      )
    );
  });

  it('places the component in a tab chosen by its title (an empty facet) and removes it cleanly', () => {
    const before = fixture('Account_Tabs');
    const result = embedComponent(before, { region: 'Visits & Meetings' });
    assert.equal(result.region, 'Facet-visits');
    assert.deepEqual(changedLines(before, result.xml).removed, []);
    const facet = describeFlexiPage(result.xml).regions.find((r) => r.name === 'Facet-visits');
    assert.equal(facet?.tabTitle, 'Visits & Meetings');
    assert.deepEqual(
      facet?.components.map((c) => c.componentName),
      ['coconutAppointments']
    );
    assert.equal(unembedComponent(result.xml).xml, before);
  });

  it('accepts a standard tab by short name and a facet by name', () => {
    const page = fixture('Account_Tabs');
    assert.equal(embedComponent(page, { region: 'relatedLists' }).region, 'relatedTabContent');
    assert.equal(embedComponent(page, { region: 'detailTabContent' }).region, 'detailTabContent');
  });

  it('creates the region element when the template has the region but the page has none', () => {
    const before = fixture('Account_No_Sidebar');
    const result = embedComponent(before);
    assert.equal(result.region, 'sidebar');
    assert.match(result.message, /new region element/);
    const { added, removed } = changedLines(before, result.xml);
    assert.deepEqual(removed, []);
    assert.deepEqual(added, [
      '    <flexiPageRegions>',
      '        <itemInstances>',
      '            <componentInstance>',
      '                <componentName>coconutAppointments</componentName>',
      '                <identifier>coconutAppointments</identifier>',
      '            </componentInstance>',
      '        </itemInstances>',
      '        <name>sidebar</name>',
      '        <type>Region</type>',
      '    </flexiPageRegions>'
    ]);
    assert.ok(result.xml.indexOf('<name>sidebar</name>') < result.xml.indexOf('<masterLabel>'));
  });

  it('names the regions to choose from when the region does not exist', () => {
    assert.throws(
      () => embedComponent(fixture('Lead_Record_Page'), { region: 'footer' }),
      (err: unknown) =>
        err instanceof FlexiPageError && /choose one of: header, main, sidebar/.test(err.message)
    );
  });

  it('refuses pages that are not record pages', () => {
    assert.throws(() => embedComponent(fixture('Coconut_Home')), /HomePage page/);
  });

  it('says when the page formatting cannot be kept exactly', () => {
    const page = fixture('Account_No_Sidebar').replace(
      '<name>flexipage:recordHomeTemplateDesktop</name>\n    </template>',
      '<name>flexipage:recordHomeTemplateDesktop</name>\n        <properties/>\n    </template>'
    );
    assert.match(embedComponent(page).message, /normalized XML formatting/);
    assert.doesNotMatch(embedComponent(fixture('Account_No_Sidebar')).message, /normalized/);
  });

  it('keeps identifiers unique on the page', () => {
    const page = embedComponent(fixture('Lead_Record_Page'), { identifier: 'force_detailPanel' });
    assert.equal(findComponent(page.xml)[0].identifier, 'force_detailPanel2');
  });
});

describe('unembedComponent', () => {
  for (const [name, region] of [
    ['Lead_Record_Page', undefined],
    ['Opportunity_Three_Column', 'leftsidebar'],
    ['Account_Tabs', 'main']
  ] as const) {
    it(`embed then unembed gives back ${name} byte for byte`, () => {
      const before = fixture(name);
      for (const position of ['top', 'bottom'] as const) {
        const embedded = embedComponent(before, {
          region,
          position,
          properties: { pageSize: '10' }
        });
        assert.equal(embedded.changed, true);
        const removed = unembedComponent(embedded.xml);
        assert.equal(removed.changed, true);
        assert.equal(removed.xml, before);
      }
    });
  }

  it('treats c:coconutAppointments (namespace written out) as the same component', () => {
    const page = fixture('Contact_With_Coconut').replace(
      '<componentName>coconutAppointments</componentName>',
      '<componentName>c:coconutAppointments</componentName>'
    );
    assert.equal(embedComponent(page).changed, false);
    const removed = unembedComponent(page);
    assert.equal(removed.changed, true);
    assert.equal(findComponent(removed.xml).length, 0);
  });

  it('removes an instance the admin placed and is idempotent', () => {
    const before = fixture('Contact_With_Coconut');
    const once = unembedComponent(before);
    assert.equal(once.changed, true);
    assert.equal(once.region, 'main');
    assert.equal(findComponent(once.xml).length, 0);
    const { added, removed } = changedLines(before, once.xml);
    assert.deepEqual(added, []);
    assert.equal(removed.length, 10);
    const twice = unembedComponent(once.xml);
    assert.equal(twice.changed, false);
    assert.equal(twice.xml, once.xml);
  });
});

describe('newRecordPage', () => {
  it('creates a standard-template record page with the component in the sidebar', () => {
    const xml = newRecordPage({ sobjectType: 'Lead', masterLabel: 'Lead Record Page (Coconut)' });
    assert.ok(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<FlexiPage xmlns="http://soap.sforce.com/2006/04/metadata">\n    <flexiPageRegions>'
      )
    );
    assert.ok(xml.endsWith('</FlexiPage>\n'));
    assert.equal(roundTrips(xml), true);
    const summary = describeFlexiPage(xml);
    assert.equal(summary.template, 'flexipage:recordHomeTemplateDesktop');
    assert.equal(summary.sobjectType, 'Lead');
    assert.equal(summary.type, 'RecordPage');
    assert.deepEqual(
      summary.regions.map((r) => `${r.name}:${r.type}`),
      [
        'detailTabContent:Facet',
        'relatedTabContent:Facet',
        'maintabs:Facet',
        'header:Region',
        'main:Region',
        'sidebar:Region'
      ]
    );
    assert.deepEqual(findComponent(xml), [
      { region: 'sidebar', regionType: 'Region', identifier: 'coconutAppointments', index: 0 }
    ]);
    assert.equal(embedComponent(xml).changed, false);
  });

  it('escapes labels', () => {
    const xml = newRecordPage({ sobjectType: 'Account', masterLabel: 'Accounts & <Clients>' });
    assert.ok(xml.includes('<masterLabel>Accounts &amp; &lt;Clients&gt;</masterLabel>'));
    assert.equal(describeFlexiPage(xml).masterLabel, 'Accounts & <Clients>');
  });
});

describe('recordPageDefaults', () => {
  it('reads the record-page property defaults from the component metadata', () => {
    const meta = `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <isExposed>true</isExposed>
    <targets>
        <target>lightning__RecordPage</target>
        <target>lightning__AppPage</target>
    </targets>
    <targetConfigs>
        <targetConfig targets="lightning__AppPage">
            <property name="title" type="String" default="App"/>
        </targetConfig>
        <targetConfig targets="lightning__RecordPage">
            <property name="pageSize" type="Integer" default="5" label="Appointments per page"/>
            <property name="showPast" type="Boolean" default="true"/>
            <property name="noDefault" type="String"/>
            <objects>
                <object>Lead</object>
            </objects>
        </targetConfig>
    </targetConfigs>
</LightningComponentBundle>
`;
    assert.deepEqual(recordPageDefaults(meta), { pageSize: '5', showPast: 'true' });
    assert.deepEqual(recordPageObjects(meta), ['Lead']);
    assert.equal(recordPageObjects(meta.replace(/<objects>[\s\S]*?<\/objects>/, '')), undefined);
  });
});
