// Platform modules the components import that @salesforce/lightning-types 0.8 does not declare.
// Shapes follow the LWC Developer Guide; only what the package uses is declared.

declare module '@salesforce/apex' {
  /** Re-runs a wired Apex method and updates its wired value; resolves when done. */
  export function refreshApex(wiredValue: unknown): Promise<void>;
}

declare module '@salesforce/i18n/timeZone' {
  /** The running user's time zone (IANA id, e.g. "America/Toronto"). */
  const timeZone: string;
  export default timeZone;
}

declare module '@salesforce/i18n/locale' {
  /** The running user's locale as a BCP 47 tag (e.g. "en-US"). */
  const locale: string;
  export default locale;
}
