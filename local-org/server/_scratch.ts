import { Org } from '../data/org.ts';
import { createApexEngine } from './apex-adapter.ts';
const dir = 'local-org/server/__fixtures__/project';
const org = await Org.load(dir);
const e = createApexEngine();
const out = await e.runTests(org, dir, 'local');
console.log(
  JSON.stringify(out.coverage),
  out.methods.map((m) => [m.methodName, m.outcome, m.message])
);
