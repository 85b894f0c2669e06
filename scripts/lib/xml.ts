/**
 * Order-preserving XML editing over fast-xml-parser's `preserveOrder` tree.
 *
 * Metadata files (FlexiPages, object and app definitions) are edited in place: the document is
 * parsed with every whitespace text node, entity and comment kept, the edit splices nodes into
 * the tree, and the builder writes it back. Everything the edit did not touch comes out byte for
 * byte as it went in (`roundTrips()` checks that for a given text).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** One node of the preserveOrder tree: an element `{ tag: children, ':@'?: attributes }`, a text or a comment node. */
export type XmlNode = Record<string, unknown>;

const SHARED_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata'
} as const;

const parser = new XMLParser({ ...SHARED_OPTIONS, ignoreDeclaration: false, ignorePiTags: false });
const builder = new XMLBuilder({ ...SHARED_OPTIONS, format: false, suppressEmptyNode: false });

export interface XmlDocument {
  /** Text before the root element (declaration, comments, line breaks), kept verbatim. */
  prefix: string;
  /** The root element node. */
  root: XmlNode;
  /** Text after the root element's closing tag (usually one newline), kept verbatim. */
  suffix: string;
  /** One indentation step as used by the document (Salesforce writes four spaces). */
  indentUnit: string;
  /** Line ending of the document; the parser reads CRLF as LF, so it is put back on output. */
  newline?: '\n' | '\r\n';
}

export class XmlEditError extends Error {}

/** Offset of the root element's `<` in an XML text (skips declaration, comments, doctype). */
function rootStart(xml: string): number {
  let index = 0;
  for (;;) {
    const lt = xml.indexOf('<', index);
    if (lt < 0) throw new XmlEditError('no root element found');
    if (xml.startsWith('<?', lt)) index = xml.indexOf('?>', lt) + 2;
    else if (xml.startsWith('<!--', lt)) index = xml.indexOf('-->', lt) + 3;
    else if (xml.startsWith('<!', lt)) index = xml.indexOf('>', lt) + 1;
    else return lt;
    if (index <= 1) throw new XmlEditError('unterminated prolog');
  }
}

export function parseXml(text: string): XmlDocument {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const xml = newline === '\r\n' ? text.replace(/\r\n/g, '\n') : text;
  const start = rootStart(xml);
  const tree = parser.parse(xml.slice(start)) as XmlNode[];
  const elements = tree.filter((node) => isElement(node));
  if (elements.length !== 1) throw new XmlEditError('expected exactly one root element');
  const root = elements[0];
  const closing = `</${tagOf(root)}>`;
  const end = xml.lastIndexOf(closing);
  const suffix = end >= start ? xml.slice(end + closing.length) : '';
  return {
    prefix: xml.slice(0, start),
    root,
    suffix,
    indentUnit: detectIndent(root) ?? '    ',
    newline
  };
}

export function serializeXml(doc: XmlDocument): string {
  const text = doc.prefix + (builder.build([doc.root]) as string) + doc.suffix;
  return doc.newline === '\r\n' ? text.replace(/\n/g, '\r\n') : text;
}

/** True when parse → build gives back exactly the input (so edits show no unrelated changes). */
export function roundTrips(xml: string): boolean {
  return serializeXml(parseXml(xml)) === xml;
}

function detectIndent(root: XmlNode): string | undefined {
  const first = childrenOf(root).find((node) => isText(node));
  const text = first ? String(first['#text']) : '';
  const match = /\n([ \t]+)$/.exec(text);
  return match ? match[1] : undefined;
}

export function isElement(node: XmlNode): boolean {
  return tagOf(node) !== undefined;
}

export function isText(node: XmlNode): boolean {
  return Object.prototype.hasOwnProperty.call(node, '#text');
}

/** The element's tag name, or undefined for text/comment/cdata nodes and the declaration. */
export function tagOf(node: XmlNode): string {
  for (const key of Object.keys(node)) {
    if (key !== ':@' && !key.startsWith('#') && !key.startsWith('?')) return key;
  }
  return undefined as unknown as string;
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  if (tag === undefined) return [];
  const value = node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

export function childElements(node: XmlNode, tag?: string): XmlNode[] {
  return childrenOf(node).filter(
    (child) => isElement(child) && (tag === undefined || tagOf(child) === tag)
  );
}

export function firstChild(node: XmlNode, tag: string): XmlNode | undefined {
  return childElements(node, tag)[0];
}

/** Decoded text content of an element (entities resolved), '' when empty. */
export function textOf(node: XmlNode | undefined): string {
  if (!node) return '';
  return unescapeXml(
    childrenOf(node)
      .filter((child) => isText(child))
      .map((child) => String(child['#text']))
      .join('')
  );
}

/** Decoded text of the first child element named `tag`, undefined when absent. */
export function childText(node: XmlNode, tag: string): string | undefined {
  const child = firstChild(node, tag);
  return child ? textOf(child) : undefined;
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_m, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&amp;/g, '&');
}

/** A plain description of an element to create: `{ tag: 'text' }` or `{ tag: [child specs] }`. */
export type ElementSpec = { [tag: string]: string | ElementSpec[] };

function whitespace(depth: number, unit: string): XmlNode {
  return { '#text': '\n' + unit.repeat(depth) };
}

/**
 * Builds a formatted element from a spec, for insertion at `depth` (the root is depth 0), using the
 * document's indentation so the result looks as if Salesforce had written it.
 */
export function buildElement(spec: ElementSpec, depth: number, unit: string): XmlNode {
  const [tag] = Object.keys(spec);
  const content = spec[tag];
  if (typeof content === 'string') {
    return { [tag]: content === '' ? [] : [{ '#text': escapeXml(content) }] };
  }
  const children: XmlNode[] = [];
  for (const child of content) {
    children.push(whitespace(depth + 1, unit), buildElement(child, depth + 1, unit));
  }
  if (content.length > 0) children.push(whitespace(depth, unit));
  return { [tag]: children };
}

/**
 * Inserts `element` among `parent`'s children at element position `position` (0 = before the first
 * child element, childElements(parent).length = after the last), keeping the indentation pattern:
 * the whitespace node that precedes each element is what `removeElement` takes away again.
 */
export function insertElement(
  parent: XmlNode,
  element: XmlNode,
  position: number,
  depth: number,
  unit: string
): void {
  const children = childrenOf(parent);
  const elementIndexes = children
    .map((child, index) => (isElement(child) ? index : -1))
    .filter((index) => index >= 0);
  if (elementIndexes.length === 0) {
    children.push(whitespace(depth + 1, unit), element, whitespace(depth, unit));
    return;
  }
  if (position >= elementIndexes.length) {
    const last = elementIndexes[elementIndexes.length - 1];
    children.splice(last + 1, 0, whitespace(depth + 1, unit), element);
  } else {
    children.splice(elementIndexes[position], 0, element, whitespace(depth + 1, unit));
  }
}

/** Removes `element` from `parent` together with the whitespace node right before it. */
export function removeElement(parent: XmlNode, element: XmlNode): boolean {
  const children = childrenOf(parent);
  const index = children.indexOf(element);
  if (index < 0) return false;
  const before =
    index > 0 && isText(children[index - 1]) && /^\s*$/.test(String(children[index - 1]['#text']));
  children.splice(before ? index - 1 : index, before ? 2 : 1);
  return true;
}

/**
 * Position at which a child named `tag` belongs among `parent`'s elements, given the schema's
 * element order (Metadata API types list their fields alphabetically). Existing elements with the
 * same tag come first: the new one goes after the last of them.
 */
export function positionFor(parent: XmlNode, tag: string, schemaOrder: readonly string[]): number {
  const elements = childElements(parent);
  const rank = schemaOrder.indexOf(tag);
  let position = 0;
  elements.forEach((child, index) => {
    const childRank = schemaOrder.indexOf(tagOf(child));
    if (tagOf(child) === tag || (childRank >= 0 && rank >= 0 && childRank < rank))
      position = index + 1;
  });
  return position;
}
