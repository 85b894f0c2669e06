// The browser resolver: the user's browser only when pointed to, the npm-shipped one otherwise,
// unpacked safely when several processes race for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_ENV, browserCacheDir, resolveBrowser, unpackNpmChromium } from './browser.ts';

test('a COCONUT_CHROMIUM that does not exist is a clear error naming the variable', async () => {
  await assert.rejects(resolveBrowser({ [BROWSER_ENV]: '/nonexistent/chromium' }), (e: Error) =>
    e.message.includes(`${BROWSER_ENV}=/nonexistent/chromium does not exist`)
  );
});

test('a COCONUT_CHROMIUM that exists is used as given, headless and without sandbox', async () => {
  const b = await resolveBrowser({ [BROWSER_ENV]: process.execPath });
  assert.equal(b.source, 'env');
  assert.equal(b.executablePath, process.execPath);
  assert.ok(b.args.includes('--headless') && b.args.includes('--no-sandbox'));
});

test('by default the npm-shipped Chromium, without the flags that switch off web security', async () => {
  const b = await resolveBrowser({});
  assert.equal(b.source, 'npm');
  assert.ok(existsSync(b.executablePath), b.executablePath);
  assert.ok(b.args.includes('--no-sandbox'));
  for (const weak of ['--disable-web-security', '--allow-running-insecure-content'])
    assert.ok(!b.args.includes(weak), weak);
});

test('three processes unpacking at once end with one complete browser and no staging left', async () => {
  const base = mkdtempSync(join(tmpdir(), 'coconut-browser-race-'));
  try {
    const dirs = await Promise.all([0, 1, 2].map(() => unpackNpmChromium(base)));
    assert.deepEqual(new Set(dirs), new Set([browserCacheDir(undefined, base)]));
    const exe = join(dirs[0]!, 'chromium');
    assert.ok(statSync(exe).size > 10_000_000, 'the executable is complete');
    assert.ok((statSync(exe).mode & 0o100) !== 0, 'the executable is executable');
    assert.deepEqual(
      readdirSync(base).filter((n) => n.includes('staging')),
      [],
      'staging directories are removed'
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
