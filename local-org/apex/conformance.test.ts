import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { anonymousRunner } from './project.js';
import { CONFORMANCE_DIR, listCases, observed } from './conformance.js';
import type { AnonResult } from './project.js';

const cases = listCases();

describe('Apex conformance suite', () => {
  let run: (src: string, file?: string) => AnonResult;
  before(async () => {
    run = await anonymousRunner(path.join(CONFORMANCE_DIR, 'project'));
  });

  it('has at least 300 programs, each naming the documented rule it checks', () => {
    assert.ok(cases.length >= 300, `only ${cases.length} programs`);
    for (const c of cases) assert.ok(c.rule.length > 10, `${c.name} names no rule`);
  });

  for (const c of cases) {
    it(`${c.name} — ${c.rule}`, () => {
      const res = run(fs.readFileSync(c.file, 'utf8'), path.basename(c.file));
      assert.equal(observed(res.lines), c.expected);
    });
  }
});
