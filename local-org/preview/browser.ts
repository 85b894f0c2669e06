// The one place that finds a browser for end-to-end tests and screenshots.
//
// By default it is the Chromium that @sparticuz/chromium ships inside its npm package (a
// brotli-compressed chrome-headless-shell build), so `npm ci && npm test` needs nothing from
// apt and never downloads a browser. A user who prefers a system browser points to it with
// COCONUT_CHROMIUM=/usr/bin/chromium (or any Chromium/Chrome executable).
//
// The package unpacks into fixed names under os.tmpdir() and returns /tmp/chromium as soon as
// that file exists, even while another process is still writing it. Several test processes run
// at once here, so this module never lets it unpack in place: a child process unpacks into a
// private staging directory (TMPDIR pointed at it), and the staging directory is renamed into a
// directory named after the package version. rename(2) is atomic, so the final directory either
// does not exist or holds a complete browser; a process that loses the race discards its copy.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type LaunchOptions } from 'playwright-core';

/** Where a user points to a browser of their own (Debian's chromium, Chrome, …). */
export const BROWSER_ENV = 'COCONUT_CHROMIUM';

/**
 * Flags of @sparticuz/chromium's recommended list that switch off the browser's web security.
 * They suit a serverless scraper, not tests whose point is what a real browser enforces
 * (same-origin, CORS, mixed content), so they are dropped.
 */
const WEAKENING_FLAGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials'
]);

/** Flags for a browser the user points to: headless, no sandbox (containers), quiet. */
const SYSTEM_BROWSER_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];

export interface ResolvedBrowser {
  /** The executable playwright-core launches. */
  executablePath: string;
  /** Command-line flags to launch it with. */
  args: string[];
  /** Where it came from, for messages. */
  source: 'npm' | 'env';
}

const require = createRequire(import.meta.url);
const run = promisify(execFile);

/** The installed @sparticuz/chromium: its version and its directory (package.json is not exported). */
function sparticuzVersion(): { version: string; dir: string } {
  const dir = dirname(dirname(require.resolve('@sparticuz/chromium')));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { version, dir };
}

/** The directory a given package version is unpacked into (per user: /tmp is shared). */
export function browserCacheDir(version = sparticuzVersion().version, base = tmpdir()): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(base, `coconut-chromium-${version}-${uid}`);
}

/**
 * Unpacks the npm-shipped Chromium once per package version and returns its directory.
 * Safe when many processes call it at once (see the file comment).
 */
export async function unpackNpmChromium(base = tmpdir()): Promise<string> {
  const { version, dir } = sparticuzVersion();
  const target = browserCacheDir(version, base);
  if (existsSync(join(target, 'chromium'))) return target;
  mkdirSync(base, { recursive: true });
  const staging = mkdtempSync(join(base, `coconut-chromium-${version}-staging-`));
  try {
    // The package reads os.tmpdir() (TMPDIR) for where to unpack; in a child process that
    // environment is private, so nothing else in this process sees a changed TMPDIR.
    const script =
      "const c = (await import('@sparticuz/chromium')).default; process.stdout.write(await c.executablePath());";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { ...process.env, TMPDIR: staging },
      timeout: 180_000,
      maxBuffer: 1024 * 1024
    });
    if (stdout.trim() !== join(staging, 'chromium') || !existsSync(join(staging, 'chromium'))) {
      throw new Error(`@sparticuz/chromium unpacked to an unexpected place: ${stdout.trim()}`);
    }
    try {
      renameSync(staging, target);
    } catch (e) {
      // Another process renamed its complete copy first: use that one.
      const code = (e as NodeJS.ErrnoException).code;
      if (!(code === 'ENOTEMPTY' || code === 'EEXIST') || !existsSync(join(target, 'chromium')))
        throw e;
    }
    return target;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Finds the browser: the user's (COCONUT_CHROMIUM) if set, else the npm-shipped one. */
export async function resolveBrowser(
  env: NodeJS.ProcessEnv = process.env
): Promise<ResolvedBrowser> {
  const own = env[BROWSER_ENV]?.trim();
  if (own) {
    if (!existsSync(own)) {
      throw new Error(
        `${BROWSER_ENV}=${own} does not exist. Unset ${BROWSER_ENV} to use the Chromium that ` +
          'npm installs with @sparticuz/chromium, or point it to a Chromium executable.'
      );
    }
    return { executablePath: own, args: [...SYSTEM_BROWSER_FLAGS], source: 'env' };
  }
  const dir = await unpackNpmChromium();
  const { default: pkg } = (await import('@sparticuz/chromium')) as {
    default: { args: string[] };
  };
  const args = pkg.args.filter((a) => !WEAKENING_FLAGS.has(a));
  if (!args.includes('--no-sandbox')) args.push('--no-sandbox');
  return { executablePath: join(dir, 'chromium'), args, source: 'npm' };
}

export type PersistentContextOptions = Parameters<typeof chromium.launchPersistentContext>[1];

/**
 * Launches a headless persistent browser context with the resolved browser; the caller's
 * options (time zone, locale, viewport, …) are passed through, its `args` added to ours.
 */
export async function launchBrowserContext(
  userDataDir: string,
  options: PersistentContextOptions = {}
): Promise<BrowserContext> {
  const b = await resolveBrowser();
  return chromium.launchPersistentContext(userDataDir, {
    ...options,
    executablePath: b.executablePath,
    headless: true,
    args: [...b.args, ...(options.args ?? [])]
  });
}

/** Launch options for callers that want a plain `chromium.launch` (screenshot scripts). */
export async function browserLaunchOptions(options: LaunchOptions = {}): Promise<LaunchOptions> {
  const b = await resolveBrowser();
  return {
    ...options,
    executablePath: b.executablePath,
    headless: true,
    args: [...b.args, ...(options.args ?? [])]
  };
}
