import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { integrationSetup, loginUrl } from './connect.ts';

describe('connect', () => {
  it('logs in at test.salesforce.com for sandboxes and login.salesforce.com for production', () => {
    assert.equal(loginUrl({ sandbox: true }), 'https://test.salesforce.com');
    assert.equal(loginUrl({ production: true }), 'https://login.salesforce.com');
    assert.equal(
      loginUrl({ instanceUrl: 'https://bank--uat.sandbox.my.salesforce.com' }),
      'https://bank--uat.sandbox.my.salesforce.com'
    );
  });

  it('refuses to guess which kind of org to log in to', () => {
    assert.throws(() => loginUrl({}), /--sandbox \(test\.salesforce\.com\), --production/);
    assert.throws(() => loginUrl({ sandbox: true, production: true }), /Choose one/);
  });

  it('prints the integration user and OAuth details Coconut needs', () => {
    const text = integrationSetup('https://bank.my.salesforce.com', 'coconut@bank.example');
    assert.match(
      text,
      /Token endpoint: {3}https:\/\/bank\.my\.salesforce\.com\/services\/oauth2\/token/
    );
    assert.match(
      text,
      /Endpoint base: {4}https:\/\/bank\.my\.salesforce\.com\/services\/apexrest\/coconut\/v1\//
    );
    assert.match(text, /Coconut_Integration permission set/);
    assert.match(text, /Username: coconut@bank\.example/);
  });
});
