import { reduceErrors, FALLBACK_MESSAGE } from 'c/coconutErrors';

describe('c/coconutErrors reduceErrors', () => {
  it('reads the message of an Apex AuraHandledException', () => {
    const error = {
      status: 500,
      body: { message: 'You do not have access to Coconut appointments.' }
    };
    expect(reduceErrors(error)).toEqual(['You do not have access to Coconut appointments.']);
  });

  it('reads page and field errors of a DML error, not the generic message', () => {
    const error = {
      body: {
        pageErrors: [{ message: 'Record is locked' }],
        fieldErrors: { Email: [{ message: 'Invalid email' }], Phone: [{ message: 'Too long' }] },
        output: { errors: [{ message: 'Output error' }] },
        message: 'An error occurred'
      }
    };
    expect(reduceErrors(error)).toEqual([
      'Record is locked',
      'Invalid email',
      'Too long',
      'Output error',
      'An error occurred'
    ]);
  });

  it('reads UI API batch errors (body as an array) and plain string bodies', () => {
    expect(
      reduceErrors({ body: [{ message: 'First' }, { message: 'Second' }, { other: 1 }] })
    ).toEqual(['First', 'Second']);
    expect(reduceErrors({ body: 'Gateway timeout' })).toEqual(['Gateway timeout']);
  });

  it('falls back to the JS error message and the HTTP status text', () => {
    expect(reduceErrors(new TypeError('Failed to fetch'))).toEqual(['Failed to fetch']);
    expect(reduceErrors({ body: {}, statusText: 'Service Unavailable' })).toEqual([
      'Service Unavailable'
    ]);
  });

  it('flattens arrays, trims and removes duplicates', () => {
    expect(reduceErrors(['  Same  ', { message: 'Same' }, 'Other', ''])).toEqual(['Same', 'Other']);
  });

  it('never returns nothing: unreadable errors give one generic, actionable line', () => {
    expect(reduceErrors(undefined)).toEqual([FALLBACK_MESSAGE]);
    expect(reduceErrors({ body: { pageErrors: 'not a list' } })).toEqual([FALLBACK_MESSAGE]);
    expect(reduceErrors([])).toEqual([FALLBACK_MESSAGE]);
    expect(reduceErrors(42)).toEqual([FALLBACK_MESSAGE]);
  });
});
