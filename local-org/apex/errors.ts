/** Errors raised by the interpreter itself (not Apex exceptions). */
export class Unsupported extends Error {
  constructor(what: string, file?: string, line?: number) {
    super(`unsupported in local-org: ${what}${file ? ` (${shortFile(file)}:${line ?? 0})` : ''}`);
    this.name = 'UnsupportedError';
  }
}

export class ApexSyntaxError extends Error {
  constructor(msg: string) {
    super(msg);
    this.name = 'ApexSyntaxError';
  }
}

export function shortFile(file: string): string {
  const i = file.lastIndexOf('/');
  return i >= 0 ? file.slice(i + 1) : file;
}
