/**
 * Turns whatever a server call or a component threw into readable, de-duplicated lines.
 * Components call reduceErrors and never read `error.body.message` themselves.
 *
 * Handles: Apex errors (AuraHandledException: body.message), DML/page errors (body.pageErrors,
 * body.fieldErrors), UI API batch errors (body as an array), network and JS errors (message),
 * plain strings, and arrays of any of these.
 */

const FALLBACK_MESSAGE =
  'Something went wrong. Try again; if it keeps happening, tell your Salesforce admin.';

interface MessageHolder {
  message?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function messagesOf(values: unknown): string[] {
  if (!Array.isArray(values)) {
    return [];
  }
  return values
    .map((value) => (isObject(value) ? (value as MessageHolder).message : undefined))
    .filter((message): message is string => typeof message === 'string' && message.length > 0);
}

function messagesFromBody(body: unknown): string[] {
  if (Array.isArray(body)) {
    return messagesOf(body);
  }
  if (!isObject(body)) {
    return typeof body === 'string' && body.length > 0 ? [body] : [];
  }
  const lines: string[] = [];
  lines.push(...messagesOf(body.pageErrors));
  if (isObject(body.fieldErrors)) {
    for (const fieldErrors of Object.values(body.fieldErrors)) {
      lines.push(...messagesOf(fieldErrors));
    }
  }
  if (isObject(body.output)) {
    lines.push(...messagesOf(body.output.errors));
  }
  if (typeof body.message === 'string' && body.message.length > 0) {
    lines.push(body.message);
  }
  return lines;
}

function messagesFromOne(error: unknown): string[] {
  if (typeof error === 'string') {
    return error.length > 0 ? [error] : [];
  }
  if (!isObject(error)) {
    return [];
  }
  const fromBody = 'body' in error ? messagesFromBody(error.body) : [];
  if (fromBody.length > 0) {
    return fromBody;
  }
  if (typeof error.message === 'string' && error.message.length > 0) {
    return [error.message];
  }
  if (typeof error.statusText === 'string' && error.statusText.length > 0) {
    return [error.statusText];
  }
  return [];
}

/**
 * Reduces one error or a list of errors to readable messages.
 * @param errors an Apex/UI API error, a JS Error, a string, or an array of them
 * @returns unique non-empty messages; a generic message when nothing readable was found
 */
export function reduceErrors(errors: unknown): string[] {
  const list = Array.isArray(errors) ? errors : [errors];
  const lines = list.flatMap((error) => messagesFromOne(error));
  const unique = [...new Set(lines.map((line) => line.trim()).filter((line) => line.length > 0))];
  return unique.length > 0 ? unique : [FALLBACK_MESSAGE];
}

export { FALLBACK_MESSAGE };
