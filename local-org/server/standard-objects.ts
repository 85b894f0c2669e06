// CustomObject definitions of standard objects for the Metadata API. A real org answers a
// retrieve of `CustomObject:Lead` with the object's settings even when nothing was customised;
// local-org answers with a minimal, valid definition until one is deployed (then the deployed
// one is kept in the metadata store like any other object).

/** Standard objects whose CustomObject definition local-org can retrieve, list and deploy. */
export const RETRIEVABLE_STANDARD_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity'] as const;

export interface StandardObjectInfo {
  name: string;
  /** The org's internal sharing model for the object (ReadWrite, Read, ControlledByParent…). */
  sharingModel: string;
}

/**
 * The definition a retrieve returns for a standard object nobody customised: the record page
 * overrides (View on desktop and phone: the system default page), feeds and history off, and the
 * sharing models. Fields are not listed: a standard object's standard fields are not
 * required in a CustomObject file, and its custom fields are added by the retrieve as usual.
 */
export function standardObjectXml(info: StandardObjectInfo): string {
  const external = info.sharingModel === 'ControlledByParent' ? 'ControlledByParent' : 'Private';
  const override = (formFactor: string) =>
    [
      '    <actionOverrides>',
      '        <actionName>View</actionName>',
      `        <formFactor>${formFactor}</formFactor>`,
      '        <type>Default</type>',
      '    </actionOverrides>'
    ].join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">',
    override('Large'),
    override('Small'),
    '    <enableFeeds>false</enableFeeds>',
    '    <enableHistory>false</enableHistory>',
    `    <externalSharingModel>${external}</externalSharingModel>`,
    `    <sharingModel>${info.sharingModel}</sharingModel>`,
    '</CustomObject>',
    ''
  ].join('\n');
}
