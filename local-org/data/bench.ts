/**
 * Data-layer benchmark (not a test): `npx tsx local-org/data/bench.ts`.
 * Inserts 10,000 records into the fixture project's Widget__c and times typical operations.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Org } from './index.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'project');
const org = Org.loadSync(fixture);
const time = (label: string, n: number, fn: () => void) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = (performance.now() - t0) / n;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms`);
};
time('insert 10,000 Widget__c (50 chunks, validation, unique index)', 1, () => {
  const res = org.insert(
    'Widget__c',
    Array.from({ length: 10_000 }, (_, i) => ({
      Name: `W${i}`,
      Code__c: `C${i}`,
      Amount__c: i % 500,
      Status__c: i % 3 ? 'Active' : 'New'
    }))
  );
  if (res.some((r) => !r.success)) throw new Error('insert failed');
});
time('SOQL filter + sort + parent path over 10,000 rows', 20, () =>
  org.query(
    "SELECT Id, Name, Owner.Name FROM Widget__c WHERE Status__c = 'Active' AND Amount__c > 100 ORDER BY Amount__c DESC, Name LIMIT 200"
  )
);
const ids = org.query('SELECT Id FROM Widget__c LIMIT 200').records.map((r) => r.Id);
time('SOQL Id IN :ids (200 binds) over 10,000 rows', 20, () =>
  org.query('SELECT Id, Name FROM Widget__c WHERE Id IN :ids', { ids })
);
time('SOQL GROUP BY with COUNT/SUM over 10,000 rows', 20, () =>
  org.query('SELECT Status__c, COUNT(Id), SUM(Amount__c) FROM Widget__c GROUP BY Status__c')
);
time('update 200 records', 20, () =>
  org.update(
    'Widget__c',
    ids.map((id) => ({ Id: id, Amount__c: 1 }))
  )
);
time('snapshot (savepoint)', 1000, () => org.snapshot());
console.log(`heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
