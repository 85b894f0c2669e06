import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  contentHash,
  listValidations,
  productionGuard,
  recordOverride,
  recordValidation,
  type ValidationRecord
} from './validations.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'coconut-validations-'));
  dirs.push(dir);
  return dir;
}
after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const sandboxRecord = (hash: string, at = '2026-11-20T10:00:00.000Z'): ValidationRecord => ({
  hash,
  orgId: '00DSANDBOX',
  orgName: 'UAT',
  kind: 'sandbox',
  deployId: '0Af000000000001',
  validatedAt: at
});

describe('contentHash', () => {
  it('depends on paths and bytes, not on file order or timestamps, and honours the filter', async () => {
    const a = await tempDir();
    await mkdir(join(a, 'classes'), { recursive: true });
    await writeFile(join(a, 'classes', 'A.cls'), 'public class A {}');
    await writeFile(join(a, 'classes', 'B.cls'), 'public class B {}');
    const first = await contentHash(a);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(await contentHash(a), first);
    await writeFile(join(a, 'classes', 'B.cls'), 'public class B { }');
    assert.notEqual(await contentHash(a), first);
    await writeFile(join(a, 'classes', 'B.cls'), 'public class B {}');
    await writeFile(join(a, 'classes', 'ignored.ts'), 'x');
    assert.equal(await contentHash(a, (p) => !p.endsWith('.ts')), first);
    assert.notEqual(await contentHash(a), first);
  });
});

describe('validation store', () => {
  it('records validations and overrides under a self-ignoring .coconut folder', async () => {
    const dir = await tempDir();
    assert.deepEqual(await listValidations(dir), []);
    await recordValidation(dir, sandboxRecord('h1'));
    await recordOverride(dir, {
      hash: 'h2',
      orgId: '00DPROD',
      reason: 'hotfix approved by CAB-42',
      at: '2026-11-21T00:00:00.000Z'
    });
    assert.deepEqual(
      (await listValidations(dir)).map((v) => v.hash),
      ['h1']
    );
    assert.equal(
      await readFile(join(dir, '.coconut', '.gitignore'), 'utf8'),
      '# local deploy records; never commit\n*\n'
    );
    assert.match(
      await readFile(join(dir, '.coconut', 'audit.log'), 'utf8'),
      /"reason":"hotfix approved by CAB-42"/
    );
  });
});

describe('productionGuard', () => {
  it('lets sandboxes and scratch orgs through', () => {
    assert.equal(productionGuard({ kind: 'sandbox', hash: 'x', validations: [] }).allowed, true);
    assert.equal(productionGuard({ kind: 'scratch', hash: 'x', validations: [] }).allowed, true);
  });
  it('refuses production without a sandbox validation of the same build', () => {
    const decision = productionGuard({
      kind: 'production',
      hash: 'aaaaaaaaaaaaNEW',
      validations: [sandboxRecord('bbbbbbbbbbbbOLD')]
    });
    assert.equal(decision.allowed, false);
    assert.match(
      decision.message,
      /has not been validated in a sandbox \(sandbox validations on record are for other builds: bbbbbbbbbbbb\)/
    );
    assert.match(decision.action ?? '', /--skip-sandbox-check --reason/);
  });
  it('does not count a scratch-org validation', () => {
    const scratch = { ...sandboxRecord('same'), kind: 'scratch' as const };
    assert.equal(
      productionGuard({ kind: 'production', hash: 'same', validations: [scratch] }).allowed,
      false
    );
  });
  it('allows production with the latest matching sandbox validation', () => {
    const decision = productionGuard({
      kind: 'production',
      hash: 'same',
      validations: [
        sandboxRecord('same', '2026-11-01T00:00:00.000Z'),
        sandboxRecord('same', '2026-11-02T00:00:00.000Z')
      ]
    });
    assert.equal(decision.allowed, true);
    assert.equal(decision.sandboxValidation?.validatedAt, '2026-11-02T00:00:00.000Z');
  });
  it('allows an override only with a reason', () => {
    assert.equal(
      productionGuard({ kind: 'production', hash: 'x', validations: [], skipSandboxCheck: true })
        .allowed,
      false
    );
    assert.equal(
      productionGuard({
        kind: 'production',
        hash: 'x',
        validations: [],
        skipSandboxCheck: true,
        reason: '  '
      }).allowed,
      false
    );
    const ok = productionGuard({
      kind: 'production',
      hash: 'x',
      validations: [],
      skipSandboxCheck: true,
      reason: 'hotfix'
    });
    assert.equal(ok.allowed, true);
    assert.equal(ok.override, true);
  });
});
