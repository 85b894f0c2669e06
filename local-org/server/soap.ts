// SOAP envelopes: parse requests with fast-xml-parser, write responses and faults in the
// shapes Salesforce's Metadata (m) and Apex (s) endpoints use.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SfHttpError, type Request } from './http.ts';

export const NS = {
  env: 'http://schemas.xmlsoap.org/soap/envelope/',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  metadata: 'http://soap.sforce.com/2006/04/metadata',
  apex: 'http://soap.sforce.com/2006/08/apex'
};

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false
});

export interface SoapCall {
  operation: string;
  params: Record<string, unknown>;
  sessionId: string | undefined;
}

export function soapFault(code: string, message: string, status = 500): SfHttpError {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.env}" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="${NS.xsi}">` +
    `<soapenv:Body><soapenv:Fault><faultcode>sf:${escapeXml(code)}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring>` +
    `<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${escapeXml(code)}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>` +
    `</soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
  return new SfHttpError(status, body, {}, `${code}: ${message}`);
}

export function parseSoap(req: Request): SoapCall {
  const text = req.body.toString('utf8');
  if (text.trim() === '' || XMLValidator.validate(text) !== true) {
    const v = text.trim() === '' ? null : XMLValidator.validate(text);
    const where =
      v && v !== true ? ` at line ${v.err.line}, column ${v.err.col}: ${v.err.msg}` : '';
    throw soapFault('INVALID_XML', `Unable to parse the request body as XML${where}`);
  }
  const doc = parser.parse(text) as Record<string, unknown>;
  const env = doc.Envelope as Record<string, unknown> | undefined;
  const body = env?.Body as Record<string, unknown> | undefined;
  if (!env || !body || typeof body !== 'object') {
    throw soapFault('INVALID_XML', 'The request is not a SOAP envelope');
  }
  const operation = Object.keys(body)[0];
  if (!operation) throw soapFault('INVALID_XML', 'The SOAP body is empty');
  const header = (env.Header ?? {}) as Record<string, unknown>;
  const sessionHeader = header.SessionHeader as Record<string, unknown> | undefined;
  const sessionId = sessionHeader?.sessionId;
  const params = body[operation];
  return {
    operation,
    params: params && typeof params === 'object' ? (params as Record<string, unknown>) : {},
    sessionId: typeof sessionId === 'string' ? sessionId : undefined
  };
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Serialises a plain value as SOAP elements: arrays repeat the element, null becomes
 * xsi:nil, objects nest. Keys starting with `@type` set xsi:type.
 */
export function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (value === undefined) return '';
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const type = obj['@type'];
    const inner = Object.entries(obj)
      .filter(([k]) => k !== '@type')
      .map(([k, v]) => toXml(k, v))
      .join('');
    const attr = typeof type === 'string' ? ` xsi:type="${escapeXml(type)}"` : '';
    return `<${name}${attr}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function soapResponse(
  namespace: string,
  operation: string,
  result: unknown,
  headerXml = ''
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.env}" xmlns="${namespace}" xmlns:xsi="${NS.xsi}">` +
    (headerXml ? `<soapenv:Header>${headerXml}</soapenv:Header>` : '') +
    `<soapenv:Body><${operation}Response>${toXml('result', result)}</${operation}Response></soapenv:Body></soapenv:Envelope>`
  );
}

/** A SOAP parameter that may be one element or repeated: always an array. */
export function list<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return undefined;
  return String(v);
}

export function bool(v: unknown): boolean {
  return str(v) === 'true';
}
