import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError, UnsupportedError, type Org } from '../index.ts';
import { fixtureOrg, ok } from './helpers.ts';

/** Widgets: A (Active, 10.5, Red;Green), b (New, null), C (Retired, 3, Blue), d (null status via update? no: New) */
function seeded(): { org: Org; ids: Record<string, string> } {
  const org = fixtureOrg();
  const [lead] = ok(
    org.insert('Lead', [
      { LastName: 'Lee', FirstName: 'Ann', Company: 'Acme', Email: 'ann@acme.test' }
    ])
  );
  const res = ok(
    org.insert('Widget__c', [
      {
        Name: 'Alpha',
        Code__c: 'A1',
        Status__c: 'Active',
        Amount__c: 10.5,
        Tags__c: 'Red;Green',
        Due__c: '2026-03-15',
        When__c: '2026-03-15T08:00:00.000Z',
        Lead__c: lead!.id
      },
      {
        Name: 'beta',
        Code__c: 'B2',
        Status__c: 'New',
        Amount__c: null,
        Due__c: '2026-03-14',
        When__c: '2026-03-16T06:59:00.000Z'
      },
      {
        Name: 'Charlie',
        Code__c: 'C3',
        Status__c: 'Retired',
        Amount__c: 3,
        Tags__c: 'Blue',
        Due__c: '2026-03-20'
      },
      {
        Name: 'delta 100%',
        Code__c: 'D_4',
        Status__c: 'Active',
        Amount__c: -2,
        Due__c: '2026-02-01',
        When__c: '2026-03-16T07:00:00.000Z'
      }
    ])
  );
  const ids: Record<string, string> = {
    lead: lead!.id!,
    A: res[0]!.id!,
    B: res[1]!.id!,
    C: res[2]!.id!,
    D: res[3]!.id!
  };
  ok(
    org.insert('Part__c', [
      { Widget__c: ids.A, Label__c: 'p1', Qty__c: 2 },
      { Widget__c: ids.A, Label__c: 'p2', Qty__c: 5 },
      { Widget__c: ids.C, Label__c: 'p3', Qty__c: 1 }
    ])
  );
  return { org, ids };
}

const names = (org: Org, soql: string, binds: Record<string, unknown> = {}) =>
  org.query(soql, binds).records.map((r) => r.Name);

describe('SOQL', () => {
  const { org, ids } = seeded();

  it('field names and object names resolve case-insensitively and come back in canonical case (SOQL is case-insensitive)', () => {
    const r = org.query("select name, CODE__C from widget__C where code__c = 'a1'").records;
    assert.equal(r.length, 1);
    assert.deepEqual(Object.keys(r[0]!), ['attributes', 'Id', 'Name', 'Code__c']);
    assert.equal((r[0]!.attributes as { type: string }).type, 'Widget__c');
  });

  it("text equality is case-insensitive: WHERE Name = 'ALPHA' matches Alpha", () => {
    assert.deepEqual(names(org, "SELECT Name FROM Widget__c WHERE Name = 'ALPHA'"), ['Alpha']);
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE Status__c = 'active' ORDER BY Name"),
      ['Alpha', 'delta 100%']
    );
  });

  it('LIKE is case-insensitive with % and _ wildcards and \\% escapes (SOQL LIKE operator)', () => {
    assert.deepEqual(names(org, "SELECT Name FROM Widget__c WHERE Name LIKE 'AL%'"), ['Alpha']);
    assert.deepEqual(names(org, "SELECT Name FROM Widget__c WHERE Name LIKE '_eta'"), ['beta']);
    assert.deepEqual(names(org, "SELECT Name FROM Widget__c WHERE Name LIKE '%100\\%'"), [
      'delta 100%'
    ]);
    assert.deepEqual(names(org, "SELECT Name FROM Widget__c WHERE Code__c LIKE 'D\\_%'"), [
      'delta 100%'
    ]);
  });

  it('null semantics: = null / != null; comparisons with a null field are false; != value includes nulls', () => {
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE Amount__c = null'), ['beta']);
    assert.equal(names(org, 'SELECT Name FROM Widget__c WHERE Amount__c != null').length, 3);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE Amount__c < 5 ORDER BY Name'), [
      'Charlie',
      'delta 100%'
    ]);
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE Tags__c != 'Blue' ORDER BY Name").length,
      3
    );
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE Amount__c NOT IN (3) ORDER BY Name'),
      ['Alpha', 'beta', 'delta 100%']
    );
  });

  it("= '' matches null text (the platform stores empty text as null)", () => {
    assert.deepEqual(names(org, "SELECT Name FROM Widget__c WHERE Tags__c = '' ORDER BY Name"), [
      'beta',
      'delta 100%'
    ]);
    assert.equal(names(org, 'SELECT Name FROM Widget__c WHERE Tags__c = :e', { e: '' }).length, 2);
  });

  it('AND / OR / NOT with parentheses; mixing AND and OR without parentheses is an error', () => {
    assert.deepEqual(
      names(
        org,
        "SELECT Name FROM Widget__c WHERE Status__c = 'Active' AND (Amount__c > 0 OR Name = 'x')"
      ),
      ['Alpha']
    );
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE NOT (Status__c = 'Active') ORDER BY Name"),
      ['beta', 'Charlie']
    );
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE NOT Status__c = 'Active' AND Amount__c > 0"),
      ['Charlie']
    );
    assert.throws(
      () => org.query("SELECT Name FROM Widget__c WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"),
      QueryError
    );
  });

  it('IN / NOT IN with binds (lists and sets) and literal lists; 15-char ids match 18-char ids', () => {
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE Id IN :ids ORDER BY Name', {
        ids: [ids.A, ids.C!.slice(0, 15)]
      }),
      ['Alpha', 'Charlie']
    );
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE Code__c IN :codes', { codes: new Set(['b2']) }),
      ['beta']
    );
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE Code__c NOT IN ('A1','B2','C3')"),
      ['delta 100%']
    );
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE Id = :id', { id: ids.B!.slice(0, 15) }),
      ['beta']
    );
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE Id IN :none', { none: [] }), []);
  });

  it('a bind that is not an id, compared with an Id field, is "invalid ID field"', () => {
    assert.throws(
      () => org.query('SELECT Id FROM Widget__c WHERE Id = :x', { x: 'nope' }),
      /invalid ID field: nope/
    );
  });

  it('a missing bind variable is a QueryException', () => {
    assert.throws(
      () => org.query('SELECT Id FROM Widget__c WHERE Name = :nope'),
      /Variable does not exist: nope/
    );
  });

  it('INCLUDES / EXCLUDES on multi-select picklists (";" means AND inside one term)', () => {
    assert.deepEqual(names(org, "SELECT Name FROM Widget__c WHERE Tags__c INCLUDES ('Green')"), [
      'Alpha'
    ]);
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE Tags__c INCLUDES ('Red;Blue', 'Blue')"),
      ['Charlie']
    );
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE Tags__c INCLUDES ('red;green')"),
      ['Alpha']
    );
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE Tags__c EXCLUDES ('Red') ORDER BY Name"),
      ['beta', 'Charlie', 'delta 100%']
    );
  });

  it('ORDER BY ASC puts nulls first and DESC puts nulls last by default; NULLS FIRST/LAST override', () => {
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c ORDER BY Amount__c'), [
      'beta',
      'delta 100%',
      'Charlie',
      'Alpha'
    ]);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c ORDER BY Amount__c DESC'), [
      'Alpha',
      'Charlie',
      'delta 100%',
      'beta'
    ]);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c ORDER BY Amount__c ASC NULLS LAST'), [
      'delta 100%',
      'Charlie',
      'Alpha',
      'beta'
    ]);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c ORDER BY Amount__c DESC NULLS FIRST'), [
      'beta',
      'Alpha',
      'Charlie',
      'delta 100%'
    ]);
  });

  it('ORDER BY text is case-insensitive; several keys apply in order', () => {
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c ORDER BY Name'), [
      'Alpha',
      'beta',
      'Charlie',
      'delta 100%'
    ]);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c ORDER BY Status__c, Name DESC'), [
      'beta',
      'delta 100%',
      'Alpha',
      'Charlie'
    ]);
  });

  it('ORDER BY a picklist sorts by the picklist value order, not alphabetically', () => {
    // Status values are defined New, Active, Retired.
    assert.deepEqual(
      org
        .query('SELECT Status__c FROM Widget__c ORDER BY Status__c DESC, Name')
        .records.map((r) => r.Status__c),
      ['Retired', 'Active', 'Active', 'New']
    );
  });

  it('LIMIT and OFFSET', () => {
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c ORDER BY Name LIMIT 2 OFFSET 1'), [
      'beta',
      'Charlie'
    ]);
    assert.throws(
      () => org.query('SELECT Name FROM Widget__c OFFSET 2001'),
      /Maximum SOQL offset allowed is 2000/
    );
  });

  it('parent relationship paths: Owner.Name, Widget__r.Lead__r.Email, and null parents as null', () => {
    const r = org.query(
      'SELECT Name, Owner.Name, Lead__r.Email, Lead__r.Owner.Name FROM Widget__c ORDER BY Name'
    ).records;
    assert.deepEqual(r[0]!.Owner, {
      attributes: { type: 'User' },
      Id: org.adminUserId,
      Name: 'Admin User'
    });
    assert.equal((r[0]!.Lead__r as Record<string, unknown>).Email, 'ann@acme.test');
    assert.equal(
      ((r[0]!.Lead__r as Record<string, unknown>).Owner as Record<string, unknown>).Name,
      'Admin User'
    );
    assert.equal(r[1]!.Lead__r, null);
    const parts = org.query(
      "SELECT Name, Widget__r.Lead__r.Email FROM Part__c WHERE Widget__r.Name = 'alpha' ORDER BY Name"
    ).records;
    assert.equal(parts.length, 2);
    assert.equal(
      ((parts[0]!.Widget__r as Record<string, unknown>).Lead__r as Record<string, unknown>).Email,
      'ann@acme.test'
    );
  });

  it('polymorphic Who/What expose the Name entity fields and Type', () => {
    ok(org.insert('Task', [{ Subject: 'Call', WhoId: ids.lead, WhatId: ids.A }]));
    const t = org.query('SELECT Subject, Who.Name, Who.Type, What.Name FROM Task').records[0]!;
    assert.deepEqual(t.Who, {
      attributes: { type: 'Lead' },
      Id: ids.lead,
      Name: 'Ann Lee',
      Type: 'Lead'
    });
    assert.equal((t.What as Record<string, unknown>).Name, 'Alpha');
    assert.throws(
      () => org.query('SELECT Who.Company FROM Task'),
      /No such column 'Company' on entity 'Name'/
    );
  });

  it('child subqueries use the __r child relationship name, with their own WHERE / ORDER BY / LIMIT; empty → null', () => {
    const r = org.query(
      "SELECT Name, (SELECT Label__c, Qty__c FROM Parts__r WHERE Qty__c > 1 ORDER BY Qty__c DESC LIMIT 5) FROM Widget__c WHERE Code__c IN ('A1','B2') ORDER BY Name"
    ).records;
    const parts = r[0]!.Parts__r as { totalSize: number; records: Record<string, unknown>[] };
    assert.equal(parts.totalSize, 2);
    assert.deepEqual(
      parts.records.map((p) => p.Qty__c),
      [5, 2]
    );
    assert.equal(r[1]!.Parts__r, null);
    const lead = org.query('SELECT Id, (SELECT Name FROM Widgets__r) FROM Lead').records[0]!;
    assert.equal((lead.Widgets__r as { totalSize: number }).totalSize, 1);
  });

  it('a custom child relationship without __r is not understood (Salesforce appends __r)', () => {
    assert.throws(
      () => org.query('SELECT Id, (SELECT Id FROM Parts) FROM Widget__c'),
      /Didn't understand relationship 'Parts' in FROM part of query call/
    );
  });

  it("unknown columns, relationships and objects fail with Salesforce's messages", () => {
    assert.throws(
      () => org.query('SELECT Foo FROM Account'),
      (e: unknown) =>
        e instanceof QueryError &&
        /^No such column 'Foo' on entity 'Account'\. If you are attempting to use a custom field, be sure to append the '__c'/.test(
          e.message
        )
    );
    assert.throws(
      () => org.query('SELECT Bogus__r.Name FROM Widget__c'),
      /Didn't understand relationship 'Bogus__r' in field path/
    );
    assert.throws(
      () => org.query('SELECT Id FROM Nope__c'),
      /sObject type 'Nope__c' is not supported/
    );
    assert.throws(
      () => org.query('SELECT Id FROM Ping__e'),
      /sObject type 'Ping__e' is not supported/
    );
  });

  it('syntax errors are QueryExceptions naming the unexpected token', () => {
    assert.throws(
      () => org.query("SELECT Id FROM Account WHERE Name = 'x' AND"),
      (e: unknown) => e instanceof QueryError && /unexpected token/.test(e.message)
    );
  });

  it('string literals for number or date fields are rejected ("should not be enclosed in quotes")', () => {
    assert.throws(
      () => org.query("SELECT Id FROM Widget__c WHERE Amount__c = '3'"),
      /must be of type double and should not be enclosed in quotes/
    );
    assert.throws(
      () => org.query("SELECT Id FROM Widget__c WHERE Due__c = '2026-03-15'"),
      /must be of type date/
    );
  });

  it('date and datetime literals compare as values (YYYY-MM-DD, ISO 8601 with Z)', () => {
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE Due__c >= 2026-03-15 ORDER BY Name'),
      ['Alpha', 'Charlie']
    );
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE When__c > 2026-03-16T00:00:00Z ORDER BY Name'),
      ['beta', 'delta 100%']
    );
  });

  it("date literals are computed in the running user's time zone (TODAY, YESTERDAY, LAST_N_DAYS, NEXT_N_DAYS, THIS_WEEK)", () => {
    // Clock: 2026-03-15T17:30Z = 10:30 on Sunday 15 March in America/Los_Angeles (PDT, UTC-7).
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE Due__c = TODAY'), ['Alpha']);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE Due__c = YESTERDAY'), ['beta']);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE Due__c = NEXT_N_DAYS:5'), [
      'Charlie'
    ]);
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE Due__c = LAST_N_DAYS:1 ORDER BY Name'),
      ['Alpha', 'beta']
    );
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c WHERE Due__c = THIS_WEEK ORDER BY Name'),
      ['Alpha', 'Charlie']
    );
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE Due__c < THIS_MONTH'), [
      'delta 100%'
    ]);
    // Datetime: TODAY in Los Angeles ends at 2026-03-16T07:00Z.
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE When__c = TODAY ORDER BY Name'), [
      'Alpha',
      'beta'
    ]);
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE When__c = TOMORROW'), [
      'delta 100%'
    ]);
    assert.equal(org.query('SELECT COUNT() FROM Widget__c WHERE CreatedDate = TODAY').totalSize, 4);
  });

  it('date functions (CALENDAR_YEAR, DAY_IN_MONTH…) in WHERE', () => {
    assert.deepEqual(names(org, 'SELECT Name FROM Widget__c WHERE CALENDAR_MONTH(Due__c) = 2'), [
      'delta 100%'
    ]);
    assert.equal(
      names(org, 'SELECT Name FROM Widget__c WHERE CALENDAR_YEAR(CreatedDate) = 2026').length,
      4
    );
  });

  it('COUNT() returns the count as totalSize with no rows', () => {
    const r = org.query("SELECT COUNT() FROM Widget__c WHERE Status__c = 'Active'");
    assert.equal(r.totalSize, 2);
    assert.deepEqual(r.records, []);
    assert.equal(org.query('SELECT COUNT() FROM Widget__c LIMIT 3').totalSize, 3);
  });

  it('aggregate functions with GROUP BY, aliases and expr0… names for unaliased aggregates', () => {
    const r = org.query(
      'SELECT Status__c, COUNT(Id), SUM(Amount__c) total, MAX(Due__c), AVG(Amount__c) FROM Widget__c GROUP BY Status__c ORDER BY Status__c'
    ).records;
    assert.deepEqual(r, [
      {
        attributes: { type: 'AggregateResult' },
        Status__c: 'New',
        expr0: 1,
        total: null,
        expr1: '2026-03-14',
        expr2: null
      },
      {
        attributes: { type: 'AggregateResult' },
        Status__c: 'Active',
        expr0: 2,
        total: 8.5,
        expr1: '2026-03-15',
        expr2: 4.25
      },
      {
        attributes: { type: 'AggregateResult' },
        Status__c: 'Retired',
        expr0: 1,
        total: 3,
        expr1: '2026-03-20',
        expr2: 3
      }
    ]);
  });

  it('COUNT(field) counts non-null values; aggregates without GROUP BY return one row', () => {
    const r = org.query(
      'SELECT COUNT(Amount__c) c, COUNT(Id) n, MIN(Amount__c) FROM Widget__c'
    ).records;
    assert.deepEqual(r, [{ attributes: { type: 'AggregateResult' }, c: 3, n: 4, expr0: -2 }]);
  });

  it('GROUP BY with HAVING and ORDER BY an aggregate', () => {
    const r = org.query(
      'SELECT Widget__r.Name wn, SUM(Qty__c) q FROM Part__c GROUP BY Widget__r.Name HAVING SUM(Qty__c) > 1 ORDER BY SUM(Qty__c) DESC'
    ).records;
    assert.deepEqual(r, [{ attributes: { type: 'AggregateResult' }, wn: 'Alpha', q: 7 }]);
  });

  it('a non-aggregated field outside GROUP BY is an error', () => {
    assert.throws(
      () => org.query('SELECT Name, COUNT(Id) FROM Widget__c GROUP BY Status__c'),
      /Field must be grouped or aggregated: Name/
    );
  });

  it('semi-join: Id IN (SELECT … FROM child)', () => {
    assert.deepEqual(
      names(
        org,
        'SELECT Name FROM Widget__c WHERE Id IN (SELECT Widget__c FROM Part__c) ORDER BY Name'
      ),
      ['Alpha', 'Charlie']
    );
  });

  it('FOR UPDATE is accepted (no-op locking); FOR UPDATE with ORDER BY is an error', () => {
    assert.equal(org.query('SELECT Id FROM Widget__c FOR UPDATE').totalSize, 4);
    assert.throws(() => org.query('SELECT Id FROM Widget__c ORDER BY Name FOR UPDATE'), QueryError);
  });

  it('deleted records are hidden unless ALL ROWS; IsDeleted is queryable', () => {
    const { org: o, ids: i } = seeded();
    ok(o.delete([i.B!]));
    assert.equal(o.query('SELECT COUNT() FROM Widget__c').totalSize, 3);
    const all = o.query(
      'SELECT Name, IsDeleted FROM Widget__c WHERE IsDeleted = true ALL ROWS'
    ).records;
    assert.deepEqual(
      all.map((r) => r.Name),
      ['beta']
    );
  });

  it('custom metadata is queryable with SOQL', () => {
    const r = org.query(
      "SELECT DeveloperName, Max__c, Enabled__c FROM Config__mdt WHERE DeveloperName = 'Default'"
    ).records;
    assert.equal(r[0]!.Max__c, 250);
  });

  it('unsupported syntax fails loudly (FORMAT())', () => {
    assert.throws(
      () => org.query('SELECT FORMAT(Amount__c) FROM Widget__c'),
      (e: unknown) =>
        e instanceof UnsupportedError &&
        /^unsupported in local-org: SOQL function FORMAT\(\)/.test(e.message)
    );
  });

  it("TYPEOF returns the fields named for the related record's type (WHEN … THEN … ELSE … END)", () => {
    const { org: o, ids: i } = seeded();
    ok(o.insert('Task', [{ Subject: 'a', WhatId: i.A }, { Subject: 'b' }]));
    const r = o.query(
      'SELECT Subject, TYPEOF What WHEN Widget__c THEN Name, Code__c WHEN Account THEN Phone ELSE Name END FROM Task ORDER BY Subject'
    ).records;
    assert.deepEqual(r[0]!.What, {
      attributes: { type: 'Widget__c' },
      Id: i.A,
      Name: 'Alpha',
      Code__c: 'A1'
    });
    assert.equal(r[1]!.What, null);
  });

  it('toLabel() returns picklist labels; long text cannot be filtered, multi-select picklists cannot be sorted', () => {
    assert.equal(
      org.query("SELECT toLabel(Status__c) FROM Widget__c WHERE Code__c = 'C3'").records[0]!
        .Status__c,
      'Out of service'
    );
    assert.throws(
      () => org.query("SELECT Id FROM Widget__c WHERE Notes__c = 'x'"),
      /field 'Notes__c' can not be filtered in query call/
    );
    assert.throws(
      () => org.query('SELECT Id FROM Widget__c ORDER BY Tags__c'),
      /field 'Tags__c' can not be sorted in a query call/
    );
  });

  it("FIELDS(CUSTOM) expands to the object's custom fields", () => {
    const r = org.query("SELECT FIELDS(CUSTOM) FROM Widget__c WHERE Code__c = 'A1' LIMIT 1")
      .records[0]!;
    assert.equal(r.Code__c, 'A1');
    assert.equal(r.Amount__c, 10.5);
    assert.equal(r.Name, undefined);
  });

  it('LIMIT and OFFSET take bind variables (LIMIT :n)', () => {
    assert.deepEqual(
      names(org, 'SELECT Name FROM Widget__c ORDER BY Name LIMIT :n OFFSET :o', { n: 1, o: 2 }),
      ['Charlie']
    );
    assert.deepEqual(
      names(org, "SELECT Name FROM Widget__c WHERE Name = 'LIMIT :x' LIMIT :n", { n: 3 }),
      []
    );
  });

  it('nested child subqueries (parent → child → grandchild) return nested records', () => {
    const r = org.query(
      'SELECT Id, (SELECT Name, (SELECT Label__c FROM Parts__r ORDER BY Label__c) FROM Widgets__r) FROM Lead'
    ).records[0]!;
    const w = (r.Widgets__r as { records: Record<string, unknown>[] }).records[0]!;
    assert.equal(w.Name, 'Alpha');
    assert.deepEqual(
      (w.Parts__r as { records: Record<string, unknown>[] }).records.map((p) => p.Label__c),
      ['p1', 'p2']
    );
  });

  it('GROUP BY a date function (CALENDAR_MONTH) with the function in SELECT (expr0) and ORDER BY it', () => {
    const r = org.query(
      'SELECT CALENDAR_MONTH(Due__c), COUNT(Id) n FROM Widget__c GROUP BY CALENDAR_MONTH(Due__c) ORDER BY CALENDAR_MONTH(Due__c) DESC'
    ).records;
    assert.deepEqual(r, [
      { attributes: { type: 'AggregateResult' }, expr0: 3, n: 3 },
      { attributes: { type: 'AggregateResult' }, expr0: 2, n: 1 }
    ]);
    assert.throws(
      () => org.query('SELECT CALENDAR_MONTH(Due__c) FROM Widget__c'),
      /Field must be grouped or aggregated/
    );
  });
});

describe('SOQL parse cache (a query text is parsed once; results never leak between runs)', () => {
  it('re-running one text with other binds and LIMIT values parses once and answers each run afresh', async () => {
    const { soqlParseCacheStats } = await import('../index.ts');
    const { org } = seeded();
    const soql = 'SELECT Name FROM Widget__c WHERE Status__c = :s ORDER BY Name LIMIT :n';
    const active = names(
      org,
      "SELECT Name FROM Widget__c WHERE Status__c = 'Active' ORDER BY Name"
    );
    const fresh = names(org, "SELECT Name FROM Widget__c WHERE Status__c = 'New' ORDER BY Name");
    assert.ok(active.length > 0 && fresh.length > 0);
    const before = soqlParseCacheStats();
    assert.deepEqual(names(org, soql, { s: 'Active', n: 5 }), active.slice(0, 5));
    assert.deepEqual(names(org, soql, { s: 'New', n: 5 }), fresh.slice(0, 5));
    assert.deepEqual(names(org, soql, { s: 'Active', n: 5 }), active.slice(0, 5));
    assert.deepEqual(names(org, soql, { s: 'New', n: 0 }), []);
    const after = soqlParseCacheStats();
    // LIMIT :n is written into the text, so n = 5 and n = 0 are two texts: two parses, two hits.
    assert.equal(after.misses - before.misses, 2);
    assert.equal(after.hits - before.hits, 2);
  });

  it('a text that does not parse fails on every run (errors are not cached as queries)', () => {
    const { org } = seeded();
    for (let i = 0; i < 2; i++)
      assert.throws(() => org.query('SELECT Name FROM Widget__c WHERE', {}), QueryError);
  });
});
