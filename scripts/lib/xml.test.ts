import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  childElements,
  childText,
  parseXml,
  roundTrips,
  serializeXml,
  unescapeXml
} from './xml.ts';

describe('order-preserving XML', () => {
  it('round-trips comments, CDATA, entities, attributes and odd spacing byte for byte', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- retrieved 2026-11-29 -->',
      '<Root xmlns="urn:x" a="1" b="two">',
      '  <!-- a comment -->',
      '  <text>Tom &amp; Jerry &#233; &lt;b&gt;</text>',
      '  <code><![CDATA[if (a < b) { return; }]]></code>',
      '  <empty></empty>',
      '\t<tabbed>  keep  spaces  </tabbed>',
      '</Root>',
      ''
    ].join('\r\n');
    assert.equal(roundTrips(xml), true);
  });

  it('reads decoded text', () => {
    const doc = parseXml('<R><a>x &amp; y &#x41;</a><a>2</a></R>');
    assert.equal(childText(doc.root, 'a'), 'x & y A');
    assert.equal(childElements(doc.root, 'a').length, 2);
    assert.equal(unescapeXml('&amp;lt;'), '&lt;');
  });

  it('detects the indentation unit of the document', () => {
    assert.equal(parseXml('<R>\n\t<a>1</a>\n</R>').indentUnit, '\t');
    assert.equal(parseXml('<R>\n  <a>1</a>\n</R>').indentUnit, '  ');
  });

  it('says when a document does not round-trip (self-closing tags, single-quoted attributes)', () => {
    const xml = '<R>\n    <a/>\n</R>\n';
    assert.equal(roundTrips(xml), false);
    assert.equal(serializeXml(parseXml(xml)), '<R>\n    <a></a>\n</R>\n');
    assert.equal(serializeXml(parseXml("<R b='1'>x</R>")), '<R b="1">x</R>');
  });
});
