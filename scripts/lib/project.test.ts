import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  apexUnderTest,
  backupMembers,
  componentDefaults,
  loadProject,
  packageComponents,
  packageFieldTypes,
  packageHash,
  packageMembers,
  permissionSets,
  unmatchedClientAction
} from './project.ts';

const FIXTURE = join(import.meta.dirname, '..', '__fixtures__', 'package-project');
const project = loadProject(FIXTURE);
const components = packageComponents(project);
const temp: string[] = [];
after(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

describe('project', () => {
  it('reads the default package directory and API version', () => {
    assert.equal(project.packageDir, join(FIXTURE, 'force-app'));
    assert.equal(project.apiVersion, '62.0');
  });

  it('lists the package members as package.xml would', () => {
    assert.deepEqual(
      packageMembers(components).map((m) => `${m.type}:${m.fullName}`),
      [
        'ApexClass:WidgetHealthResource',
        'ApexClass:WidgetHealthResourceTest',
        'ApexClass:WidgetService',
        'ApexClass:WidgetServiceTest',
        'ApexTrigger:WidgetTrigger',
        'CustomField:Lead.Widget_Code__c',
        'CustomMetadata:Coconut_Settings.Default',
        'CustomObject:Gadget__c',
        'CustomObject:Widget__c',
        'FlexiPage:Widget_Record_Page',
        'LightningComponentBundle:coconutAppointments',
        'PermissionSet:Widget_User'
      ]
    );
    assert.deepEqual(permissionSets(components), ['Widget_User']);
    const forBackup = backupMembers(components).map((m) => `${m.type}:${m.fullName}`);
    assert.ok(
      forBackup.includes('CustomField:Widget__c.Size__c'),
      'fields inside package objects are backed up one by one'
    );
    assert.equal(forBackup.length, packageMembers(components).length + 1);
  });

  it('finds the Apex that tests must cover (not the test classes)', () => {
    assert.deepEqual(apexUnderTest(components), [
      'WidgetHealthResource',
      'WidgetService',
      'WidgetTrigger'
    ]);
  });

  it('reads field types, including fields inside a custom object and on standard objects', () => {
    assert.deepEqual([...packageFieldTypes(components).entries()].sort(), [
      ['Lead.Widget_Code__c', 'Text'],
      ['Widget__c.Size__c', 'Number']
    ]);
  });

  it('reads the default settings and the component defaults', () => {
    assert.equal(unmatchedClientAction(project), 'PersonAccount');
    assert.deepEqual(componentDefaults(project), { pageSize: '5' });
    assert.deepEqual(componentDefaults(project, 'noSuchComponent'), {});
  });

  it('hashes the deployable files only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coconut-project-'));
    temp.push(dir);
    await cp(FIXTURE, dir, { recursive: true });
    const copy = loadProject(dir);
    const before = await packageHash(copy);
    assert.equal(before, await packageHash(project));
    await writeFile(
      join(copy.packageDir, 'main', 'default', 'lwc', 'jsconfig.json'),
      '{ "changed": true }\n'
    );
    assert.equal(
      await packageHash(copy),
      before,
      'a .forceignore-d file does not change the build'
    );
    await writeFile(
      join(copy.packageDir, 'main', 'default', 'classes', 'WidgetService.cls'),
      'public class WidgetService {}\n'
    );
    assert.notEqual(await packageHash(copy), before);
  });
});
