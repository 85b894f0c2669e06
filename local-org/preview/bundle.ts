// Compiles the project's Lightning Web Components for the browser with the real LWC compiler
// (@lwc/rollup-plugin over rollup), lightning-base-components for `lightning/*`, and the
// preview's own modules for the platform imports (`@salesforce/apex/*`, i18n, user, labels,
// `lightning/navigation`). One bundle for every exposed component, built once and cached on
// disk by a hash of everything that goes into it.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { rollup, type Plugin, type RollupLog } from 'rollup';
import ts from 'typescript';
import type { LwcBundle } from './project.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CLIENT_DIR = join(here, 'client');
const RUNTIME = join(CLIENT_DIR, 'runtime.ts');
const require = createRequire(import.meta.url);
/** A file inside this npm package: where the LWC resolver starts looking for its configuration. */
const ANCHOR = fileURLToPath(import.meta.url);

export class PreviewBuildError extends Error {
  override name = 'PreviewBuildError';
}

export interface BuildOptions {
  projectDir: string;
  bundles: LwcBundle[];
  labels: Map<string, string>;
  /** Where built bundles are kept between runs (default node_modules/.cache/local-org-preview). */
  cacheDir?: string;
}

export interface BuiltBundle {
  /** Output files by name: `app.js` (the entry) and the chunks it imports dynamically. */
  files: Record<string, string>;
  hash: string;
  /** Custom element tag → module specifier of every component the page can place. */
  components: Record<string, string>;
  fromCache: boolean;
  tookMs: number;
}

/** i18n values the preview serves from the signed-in user (the rest are not supported). */
/** LOCAL_ORG_PREVIEW_PERF=1 prints where the build spends its time. */
const PERF = process.env.LOCAL_ORG_PREVIEW_PERF === '1';

const USER_I18N = new Set(['timeZone', 'locale', 'lang', 'dir']);

function packageVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === '__tests__') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
  return out;
}

function sourceHash(opts: BuildOptions): string {
  const h = createHash('sha256');
  h.update('local-org-preview-1\0');
  for (const pkg of ['lwc', '@lwc/rollup-plugin', 'rollup', 'lightning-base-components']) {
    h.update(`${pkg}@${packageVersion(pkg)}\0`);
  }
  for (const f of [...filesUnder(CLIENT_DIR), fileURLToPath(import.meta.url)]) {
    h.update(f).update(readFileSync(f));
  }
  for (const b of opts.bundles) {
    for (const f of filesUnder(b.dir)) h.update(f).update(readFileSync(f));
  }
  for (const [k, v] of [...opts.labels].sort()) h.update(`${k}=${v}\0`);
  return h.digest('hex').slice(0, 20);
}

function isProjectFile(id: string, projectDir: string): boolean {
  const rel = relative(projectDir, id);
  return !rel.startsWith('..') && !rel.split(sep).includes('node_modules');
}

function js(v: unknown): string {
  return JSON.stringify(v);
}

/**
 * The platform modules. Returns module source for a specifier the preview provides, `null`
 * to let the LWC resolver (lightning-base-components, `c/…`) handle it, or throws for a
 * platform import the preview does not support.
 */
function platformModule(
  spec: string,
  fromProject: boolean,
  labels: Map<string, string>,
  lbcExposed: Set<string>
): string | null {
  const rt = js(RUNTIME);
  if (spec === '@salesforce/apex') {
    return `export { refreshApex, getSObjectValue } from ${rt};`;
  }
  let m = /^@salesforce\/apex\/([A-Za-z_][\w]*)\.([A-Za-z_]\w*)$/.exec(spec);
  if (m) {
    return `import { apexMethod } from ${rt};\nexport default apexMethod(${js(m[1])}, ${js(m[2])});`;
  }
  m = /^@salesforce\/i18n\/(.+)$/.exec(spec);
  if (m && USER_I18N.has(m[1]!)) {
    if (m[1] === 'dir') return `export default 'ltr';`;
    return `import { context } from ${rt};\nexport default context()[${js(m[1])}];`;
  }
  if (spec === 'lightning/navigation') {
    return `export { NavigationMixin, CurrentPageReference } from ${rt};`;
  }
  if (!fromProject) return null;
  if (spec === 'lightning/uiRecordApi') {
    return `export { getRecord, getFieldValue, getFieldDisplayValue, notifyRecordUpdateAvailable } from ${rt};`;
  }
  m = /^@salesforce\/schema\/(\w+)(?:\.([\w.]+))?$/.exec(spec);
  if (m) {
    return m[2]
      ? `export default { objectApiName: ${js(m[1])}, fieldApiName: ${js(m[2])} };`
      : `export default { objectApiName: ${js(m[1])} };`;
  }
  if (spec === '@salesforce/user/Id') {
    return `import { context } from ${rt};\nexport default context().userId;`;
  }
  if (spec === '@salesforce/user/isGuest') return 'export default false;';
  if (spec === '@salesforce/client/formFactor') return `export default 'Large';`;
  m = /^@salesforce\/label\/c\.(\w+)$/.exec(spec);
  if (m) {
    if (!labels.has(m[1]!)) {
      throw new PreviewBuildError(`no custom label named ${m[1]} in the project`);
    }
    return `export default ${js(labels.get(m[1]!))};`;
  }
  if (spec.startsWith('lightning/') && lbcExposed.has(spec)) return null;
  if (
    spec.startsWith('@salesforce/') ||
    spec.startsWith('lightning/') ||
    spec.startsWith('force/') ||
    spec.startsWith('lightningsnapin/') ||
    spec.startsWith('experience/')
  ) {
    throw new PreviewBuildError(`unsupported in local-org: import '${spec}'`);
  }
  return null;
}

/** Icons lightning-base-components draws itself (menus, tabs overflow, alerts, pills…). */
const BASE_COMPONENT_ICONS = [
  'utility:chevrondown',
  'utility:chevronright',
  'utility:chevronleft',
  'utility:down',
  'utility:close',
  'utility:clear',
  'utility:search',
  'utility:error',
  'utility:warning',
  'utility:info',
  'utility:success',
  'utility:check',
  'utility:more'
];

/** `category:name` icon names written in the project's component sources. */
function iconsUsed(bundles: LwcBundle[]): Set<string> {
  const out = new Set(BASE_COMPONENT_ICONS);
  for (const b of bundles) {
    for (const f of filesUnder(b.dir)) {
      if (!/\.(html|js|ts)$/.test(f)) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(
        /\b(utility|standard|custom|action|doctype):([a-z][a-z0-9_]*)\b/gi
      )) {
        out.add(`${m[1]!.toLowerCase()}:${m[2]!}`);
      }
    }
  }
  return out;
}

/**
 * lightning-base-components' icon libraries hold every SLDS icon as a template (thousands of
 * modules, most of the build time). The preview's libraries hold the icons the project's
 * sources name plus those the base components draw; an icon chosen at run time from data
 * that no source names is not drawn (documented in docs/local-org-preview.md).
 */
function iconLibrary(suffix: string, used: Set<string>): string {
  const category = suffix.replace(/Rtl$/, '').toLowerCase();
  const dir = join(
    dirname(require.resolve('lightning-base-components/package.json')),
    'src',
    'lightning',
    `iconSvgTemplates${suffix}`,
    'buildTemplates',
    category
  );
  const lines: string[] = [];
  const names: string[] = [];
  for (const icon of [...used].sort()) {
    const [cat, name] = icon.split(':') as [string, string];
    const file = join(dir, `${name}.html`);
    if (cat !== category || !existsSync(file)) continue;
    const local = `${cat}_${name}`;
    lines.push(`import ${local} from ${js(file)};`);
    names.push(local);
  }
  lines.push(`export default { ${names.join(', ')} };`);
  return lines.join('\n');
}

function lbcExposedModules(): Set<string> {
  try {
    const pkg = JSON.parse(
      readFileSync(require.resolve('lightning-base-components/package.json'), 'utf8')
    ) as { lwc?: { expose?: string[] } };
    return new Set(pkg.lwc?.expose ?? []);
  } catch {
    return new Set();
  }
}

function previewPlugin(opts: BuildOptions, entryCode: string): Plugin {
  const projectDir = resolve(opts.projectDir);
  const lbcExposed = lbcExposedModules();
  const usedIcons = iconsUsed(opts.bundles);
  const VIRTUAL = '\0local-org-preview:';
  const modules = new Map<string, string>();
  return {
    name: 'local-org-preview',
    resolveId(importee, importer) {
      if (importee === 'local-org-preview-entry') return `${VIRTUAL}entry`;
      if (importee.startsWith('.') || importee.startsWith('/') || importee.startsWith('\0')) {
        return null;
      }
      const fromProject =
        importer !== undefined && isProjectFile(importer.split('?')[0]!, projectDir);
      let code: string | null;
      try {
        const icons = /^lightning\/iconSvgTemplates(\w*)$/.exec(importee);
        code = icons
          ? iconLibrary(icons[1]!, usedIcons)
          : platformModule(importee, fromProject, opts.labels, lbcExposed);
      } catch (err) {
        const where = importer ? ` (${relative(projectDir, importer.split('?')[0]!)})` : '';
        this.error(`${(err as Error).message}${where}`);
      }
      if (code === null) {
        // The LWC resolver finds its configuration by walking up from the importer; a project
        // outside any npm package would have none, so resolve its imports from here.
        if (fromProject || !importer || importer.startsWith('\0')) {
          return this.resolve(importee, ANCHOR, { skipSelf: true });
        }
        return null;
      }
      const id = `${VIRTUAL}${importee}`;
      modules.set(id, code);
      return id;
    },
    load(id) {
      if (id === `${VIRTUAL}entry`) return entryCode;
      return modules.get(id) ?? null;
    },
    transform(code, id) {
      // The preview's own browser code is TypeScript: strip the types.
      if (id.startsWith(CLIENT_DIR) && id.endsWith('.ts')) {
        const out = ts.transpileModule(code, {
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
          fileName: id
        });
        return { code: out.outputText, map: null };
      }
      // Build-time constants the LWC engine and lightning-base-components read.
      if (code.includes('process.env.NODE_ENV') || code.includes('import.meta.env.SSR')) {
        return {
          code: code
            .replaceAll('process.env.NODE_ENV', '"production"')
            .replaceAll('import.meta.env.SSR', 'false'),
          map: null
        };
      }
      return null;
    }
  };
}

/** Alias module records (`c/<bundle>` → its .js) for the source-format `lwc/<bundle>/` layout. */
function aliasRecords(bundles: LwcBundle[]): { name: string; path: string }[] {
  return bundles
    .filter((b): b is LwcBundle & { entry: string } => b.entry !== undefined)
    .map((b) => ({ name: b.specifier, path: b.entry }));
}

function entrySource(placeable: LwcBundle[]): string {
  const lines = [`import '@lwc/synthetic-shadow';`, `import { createElement } from 'lwc';`];
  const map: string[] = [];
  placeable.forEach((b, i) => {
    lines.push(`import C${i} from ${js(b.specifier)};`);
    map.push(`  ${js(b.tag)}: C${i}`);
  });
  lines.push(
    `window.__LOCAL_ORG_PREVIEW_COMPONENTS__ = { createElement, components: {\n${map.join(',\n')}\n} };`
  );
  return lines.join('\n') + '\n';
}

/** Keeps the newest few bundles (another checkout or branch may still want them). */
function pruneCache(cacheDir: string, keep: string): void {
  const old = readdirSync(cacheDir)
    .filter((n) => /^bundle-[0-9a-f]+\.json$/.test(n))
    .map((n) => join(cacheDir, n))
    .filter((f) => f !== keep)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const f of old.slice(2)) rmSync(f, { force: true });
}

export async function buildBundle(opts: BuildOptions): Promise<BuiltBundle> {
  const started = Date.now();
  const placeable = opts.bundles.filter((b) => b.isExposed && b.entry && b.targets.length > 0);
  const components = Object.fromEntries(placeable.map((b) => [b.tag, b.specifier]));
  const hash = sourceHash(opts);
  const cacheDir =
    opts.cacheDir ?? join(resolve(opts.projectDir), 'node_modules', '.cache', 'local-org-preview');
  const cacheFile = join(cacheDir, `bundle-${hash}.json`);
  if (existsSync(cacheFile)) {
    return {
      files: JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>,
      hash,
      components,
      fromCache: true,
      tookMs: Date.now() - started
    };
  }
  const problems: string[] = [];
  const onLog = (level: string, log: RollupLog): void => {
    if (log.code === 'UNRESOLVED_IMPORT') {
      problems.push(
        `unsupported in local-org: import '${log.exporter ?? log.message}'${log.id ? ` (${relative(opts.projectDir, log.id)})` : ''}`
      );
    } else if (
      level === 'warn' &&
      log.code !== 'CIRCULAR_DEPENDENCY' &&
      log.code !== 'THIS_IS_UNDEFINED'
    ) {
      // Compiler warnings about the project's own components are worth seeing.
      if (log.id && isProjectFile(log.id, resolve(opts.projectDir))) {
        process.stderr.write(`local-org preview: ${log.message}\n`);
      }
    }
  };
  const files: Record<string, string> = {};
  try {
    const build = await rollup({
      input: 'local-org-preview-entry',
      onLog,
      perf: PERF,
      plugins: [
        previewPlugin(opts, entrySource(placeable)),
        lwc({
          rootDir: resolve(opts.projectDir),
          modules: [...aliasRecords(opts.bundles), { npm: 'lightning-base-components' }],
          exclude: [
            `${CLIENT_DIR}/**`,
            '**/node_modules/@lwc/engine-dom/**',
            '**/node_modules/@lwc/synthetic-shadow/**'
          ],
          enableDynamicComponents: false,
          apiVersion: 62
        })
      ]
    });
    const out = await build.generate({
      format: 'es',
      entryFileNames: 'app.js',
      chunkFileNames: '[name]-[hash].js'
    });
    if (PERF && build.getTimings) {
      const top = Object.entries(build.getTimings())
        .sort((x, y) => y[1][0] - x[1][0])
        .slice(0, 12);
      for (const [k, v] of top) process.stderr.write(`${Math.round(v[0])} ms  ${k}\n`);
      process.stderr.write(`${build.cache?.modules.length ?? '?'} modules\n`);
    }
    await build.close();
    for (const o of out.output) if (o.type === 'chunk') files[o.fileName] = o.code;
  } catch (err) {
    const e = err as Error & {
      id?: string;
      code?: string;
      binding?: string;
      exporter?: string;
      loc?: { file?: string; line?: number };
    };
    if (e.code === 'MISSING_EXPORT' && e.exporter?.startsWith('\0local-org-preview:')) {
      const mod = e.exporter.slice('\0local-org-preview:'.length);
      throw new PreviewBuildError(
        `unsupported in local-org: '${e.binding}' from '${mod}'${e.id ? ` (${relative(opts.projectDir, e.id.split('?')[0]!)})` : ''}`
      );
    }
    const where = e.loc?.file ?? e.id;
    throw new PreviewBuildError(
      `the preview could not compile the project's components: ${e.message}${where && !e.message.includes(relative(opts.projectDir, where)) ? ` (${relative(opts.projectDir, where)}${e.loc?.line ? `:${e.loc.line}` : ''})` : ''}`
    );
  }
  if (problems.length > 0) {
    throw new PreviewBuildError([...new Set(problems)].join('\n'));
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(files));
  pruneCache(cacheDir, cacheFile);
  return { files, hash, components, fromCache: false, tookMs: Date.now() - started };
}
