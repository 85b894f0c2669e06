import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parseFormula, type FormulaContext } from '../formula.ts';
import { UnsupportedError } from '../index.ts';

function run(
  src: string,
  fields: Record<string, unknown> = {},
  extra: Partial<FormulaContext> = {}
) {
  const ctx: FormulaContext = {
    get: (p) => (p in fields ? fields[p] : undefined),
    now: new Date('2026-03-15T17:30:00.000Z'),
    zone: 'America/Los_Angeles',
    ...extra
  };
  return evaluate(parseFormula(src), ctx);
}

describe('formula language (Salesforce Help: "Formula Operators and Functions")', () => {
  it('arithmetic precedence, ^, unary minus and parentheses', () => {
    assert.equal(run('1 + 2 * 3'), 7);
    assert.equal(run('(1 + 2) * 3'), 9);
    assert.equal(run('2 ^ 3 ^ 2'), 512);
    assert.equal(run('-Amount__c + 1', { Amount__c: 4 }), -3);
  });

  it('text: & and + concatenate, blank text is the empty string; LEN, LEFT, RIGHT, MID, UPPER, CONTAINS, BEGINS, SUBSTITUTE', () => {
    assert.equal(run('"a" & Name & "c"', { Name: null }), 'ac');
    assert.equal(run('"x" + "y"'), 'xy');
    assert.equal(run('LEN(Name)', { Name: 'hello' }), 5);
    assert.equal(run('LEFT("hello", 2) & RIGHT("hello", 2) & MID("hello", 2, 3)'), 'heloell');
    assert.equal(run('UPPER("ab")'), 'AB');
    assert.equal(run('CONTAINS("coconut", "nut") && BEGINS("coconut", "coco")'), true);
    assert.equal(run('SUBSTITUTE("a-b-c", "-", "+")'), 'a+b+c');
  });

  it('logic: IF, AND, OR, NOT, CASE, ISBLANK, BLANKVALUE, ISPICKVAL, comparisons', () => {
    assert.equal(run('IF(Amount__c > 10, "big", "small")', { Amount__c: 11 }), 'big');
    assert.equal(run('AND(TRUE, NOT(FALSE)) && OR(FALSE, 1 = 1)'), true);
    assert.equal(run('CASE(Status__c, "New", 1, "Active", 2, 0)', { Status__c: 'Active' }), 2);
    assert.equal(run('ISBLANK(Email__c)', { Email__c: null }), true);
    assert.equal(run('BLANKVALUE(Email__c, "none")', { Email__c: '' }), 'none');
    assert.equal(run('ISPICKVAL(Status__c, "New")', { Status__c: 'New' }), true);
    assert.equal(
      run('Amount__c > 5', { Amount__c: null }),
      false,
      'a comparison with a blank number is false'
    );
  });

  it('blank numbers stay blank unless the formula treats blanks as zero', () => {
    assert.equal(run('Amount__c + 1', { Amount__c: null }), null);
    assert.equal(run('Amount__c + 1', { Amount__c: null }, { blankAsZero: true }), 1);
  });

  it('dates: TODAY() in the user time zone, date + days, date - date, YEAR/MONTH/DAY, DATE(), DATEVALUE()', () => {
    assert.equal(run('TODAY()'), '2026-03-15');
    assert.equal(run('Due__c + 20', { Due__c: '2026-03-15' }), '2026-04-04');
    assert.equal(run('Due__c - DATE(2026, 3, 1)', { Due__c: '2026-03-15' }), 14);
    assert.equal(run('YEAR(Due__c) * 100 + MONTH(Due__c)', { Due__c: '2026-03-15' }), 202603);
    assert.equal(run('DATEVALUE(When__c)', { When__c: '2026-03-16T06:00:00.000Z' }), '2026-03-16');
  });

  it('ISCHANGED, PRIORVALUE and ISNEW in validation rules', () => {
    const prior = (p: string) => ({ Status__c: 'New' })[p];
    assert.equal(
      run('ISCHANGED(Status__c)', { Status__c: 'Active' }, { prior, isNew: false }),
      true
    );
    assert.equal(
      run('PRIORVALUE(Status__c)', { Status__c: 'Active' }, { prior, isNew: false }),
      'New'
    );
    assert.equal(run('ISNEW()', {}, { prior, isNew: true }), true);
  });

  it('unknown functions fail loudly', () => {
    assert.throws(
      () => run('GETSESSIONID()'),
      (e: unknown) =>
        e instanceof UnsupportedError && /formula function GETSESSIONID/.test(e.message)
    );
  });
});
