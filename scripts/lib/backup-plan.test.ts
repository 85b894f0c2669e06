import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import {
  backupFolderName,
  classifyRetrieved,
  formatRestorePlan,
  packageXml,
  planRestore,
  type BackupManifest
} from './backup-plan.ts';

const m = (type: string, fullName: string) => ({ type, fullName });

function manifest(existed: ReturnType<typeof m>[], absent: ReturnType<typeof m>[]): BackupManifest {
  return {
    formatVersion: 1,
    orgId: '00D000000000001',
    orgName: 'UAT',
    apiVersion: '62.0',
    createdAt: '2026-11-29T14:00:00.000Z',
    purpose: 'deploy',
    requested: [...existed, ...absent],
    existed,
    absent
  };
}

describe('classifyRetrieved', () => {
  it('splits the request into what the org returned and what it did not have', () => {
    const requested = [
      m('ApexClass', 'B'),
      m('ApexClass', 'A'),
      m('FlexiPage', 'Account_Tabs'),
      m('CustomField', 'Lead.Coconut_Client_Id__c')
    ];
    const result = classifyRetrieved(requested, [
      m('FlexiPage', 'Account_Tabs'),
      m('ApexClass', 'A'),
      m('Package', 'package.xml')
    ]);
    assert.deepEqual(result.existed, [m('ApexClass', 'A'), m('FlexiPage', 'Account_Tabs')]);
    assert.deepEqual(result.absent, [
      m('ApexClass', 'B'),
      m('CustomField', 'Lead.Coconut_Client_Id__c')
    ]);
  });
});

describe('planRestore', () => {
  it('redeploys what existed and deletes what was added, once per object', () => {
    const plan = planRestore(
      manifest(
        [m('FlexiPage', 'Account_Tabs'), m('CustomObject', 'Account')],
        [
          m('CustomObject', 'Coconut_Appointment__c'),
          m('CustomField', 'Coconut_Appointment__c.Status__c'),
          m('CustomField', 'Lead.Coconut_Client_Id__c'),
          m('ApexClass', 'CoconutSyncService'),
          m('FlexiPage', 'Coconut_Lead_Record_Page'),
          m('PermissionSet', 'Coconut_Admin')
        ]
      ),
      [
        m('CustomObject', 'Coconut_Appointment__c'),
        m('CustomField', 'Coconut_Appointment__c.Status__c'),
        m('CustomField', 'Lead.Coconut_Client_Id__c'),
        m('ApexClass', 'CoconutSyncService'),
        m('FlexiPage', 'Coconut_Lead_Record_Page')
      ]
    );
    assert.deepEqual(plan.redeploy, [m('CustomObject', 'Account'), m('FlexiPage', 'Account_Tabs')]);
    assert.deepEqual(plan.delete, [
      m('ApexClass', 'CoconutSyncService'),
      m('CustomField', 'Lead.Coconut_Client_Id__c'),
      m('CustomObject', 'Coconut_Appointment__c'),
      m('FlexiPage', 'Coconut_Lead_Record_Page')
    ]);
    assert.deepEqual(plan.unchanged, [m('PermissionSet', 'Coconut_Admin')]);
    assert.ok(plan.notes.some((n) => /Recycle Bin/.test(n)));
  });

  it('never deletes a standard object', () => {
    const plan = planRestore(manifest([], [m('CustomObject', 'Lead')]), [
      m('CustomObject', 'Lead')
    ]);
    assert.deepEqual(plan.delete, []);
    assert.match(plan.notes[0], /Lead is a standard object/);
  });

  it('says what it will do in readable lines', () => {
    const text = formatRestorePlan(
      planRestore(manifest([m('FlexiPage', 'P')], [m('ApexClass', 'X')]), [m('ApexClass', 'X')]),
      manifest([], [])
    );
    assert.match(text, /Redeploy as backed up \(1\):\n {2}FlexiPage:P/);
    assert.match(text, /Delete, added since the backup \(1\):\n {2}ApexClass:X/);
  });
});

describe('packageXml', () => {
  it('writes a sorted, escaped manifest that parses back', () => {
    const xml = packageXml(
      [
        m('FlexiPage', 'B'),
        m('ApexClass', 'Z'),
        m('FlexiPage', 'A'),
        m('Layout', 'Account-Account Layout & More')
      ],
      '62.0'
    );
    const parsed = new XMLParser({ isArray: (n) => n === 'types' || n === 'members' }).parse(
      xml
    ) as {
      Package: { types: { members: string[]; name: string }[]; version: number };
    };
    assert.deepEqual(
      parsed.Package.types.map((t) => [t.name, t.members]),
      [
        ['ApexClass', ['Z']],
        ['FlexiPage', ['A', 'B']],
        ['Layout', ['Account-Account Layout & More']]
      ]
    );
    assert.ok(xml.includes('<members>Account-Account Layout &amp; More</members>'));
    assert.ok(xml.includes('<version>62.0</version>'));
  });
});

describe('backupFolderName', () => {
  it('is a sortable, filesystem-safe UTC timestamp', () => {
    assert.equal(
      backupFolderName(new Date('2026-11-29T14:05:06.789Z')),
      '2026-11-29T14-05-06-789Z'
    );
  });
});
