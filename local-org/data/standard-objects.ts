/**
 * Built-in standard objects with their real API names, types, lengths and key prefixes
 * (Salesforce Object Reference). Only the commonly used fields are modelled; querying a
 * field that is not listed fails with Salesforce's "No such column" error.
 */
import { makeField as f, makeObject, picklist } from './fields.js';
import type { FieldDescribe, ObjectDescribe } from './schema-types.js';

const s = (name: string, length: number, o: Partial<FieldDescribe> = {}) =>
  f(name, 'string', { length, ...o });
const ref = (
  name: string,
  to: string[],
  relationshipName: string,
  o: Partial<FieldDescribe> = {}
) => f(name, 'reference', { referenceTo: to, relationshipName, deleteConstraint: 'SetNull', ...o });
const pick = (name: string, values: string[], o: Partial<FieldDescribe> = {}) =>
  f(name, 'picklist', {
    picklistValues: picklist(values, o.defaultValue as string | undefined),
    length: 255,
    ...o
  });
const readonly = { createable: false, updateable: false };
const compound = { createable: false, updateable: false, compound: true };

function address(prefix: string, label = ''): FieldDescribe[] {
  const l = label ? label + ' ' : '';
  return [
    f(`${prefix}Street`, 'textarea', { length: 255, label: `${l}Street` }),
    s(`${prefix}City`, 40, { label: `${l}City` }),
    s(`${prefix}State`, 80, { label: `${l}State/Province` }),
    s(`${prefix}PostalCode`, 20, { label: `${l}Zip/Postal Code` }),
    s(`${prefix}Country`, 80, { label: `${l}Country` }),
    f(`${prefix}Latitude`, 'double', { precision: 18, scale: 15, label: `${l}Latitude` }),
    f(`${prefix}Longitude`, 'double', { precision: 18, scale: 15, label: `${l}Longitude` })
  ];
}

const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const LANG = [
  'en_US',
  'de',
  'es',
  'fr',
  'it',
  'ja',
  'sv',
  'ko',
  'zh_TW',
  'zh_CN',
  'pt_BR',
  'nl_NL',
  'da',
  'th',
  'fi',
  'ru',
  'es_MX',
  'no',
  'fr_CA',
  'en_GB',
  'en_CA'
];
const EMAIL_ENC = [
  'UTF-8',
  'ISO-8859-1',
  'Shift_JIS',
  'ISO-2022-JP',
  'EUC-JP',
  'ks_c_5601-1987',
  'Big5',
  'GB2312',
  'Big5-HKSCS',
  'x-SJIS_0213'
];

export const PROFILE_PERMISSION_FIELDS = [
  'PermissionsApiEnabled',
  'PermissionsModifyAllData',
  'PermissionsViewAllData',
  'PermissionsModifyMetadata',
  'PermissionsCustomizeApplication',
  'PermissionsViewSetup',
  'PermissionsManageUsers',
  'PermissionsAuthorApex'
];

function permissionFields(): FieldDescribe[] {
  return PROFILE_PERMISSION_FIELDS.map((n) =>
    f(n, 'boolean', { label: n.replace(/^Permissions/, '') })
  );
}

/** Builds the standard objects. `personAccounts` adds the Person Account fields to Account. */
export function standardObjects(personAccounts: boolean): ObjectDescribe[] {
  const objs: ObjectDescribe[] = [];

  objs.push(
    makeObject(
      'Organization',
      [
        s('Name', 80, { nameField: true }),
        s('Division', 80),
        f('Street', 'textarea', { length: 255 }),
        s('City', 40),
        s('State', 80),
        s('PostalCode', 20),
        s('Country', 80),
        f('Phone', 'phone'),
        s('PrimaryContact', 80),
        s('DefaultLocaleSidKey', 40),
        s('LanguageLocaleKey', 40),
        s('TimeZoneSidKey', 40),
        s('OrganizationType', 40, { ...readonly, label: 'Edition' }),
        s('InstanceName', 5, readonly),
        f('IsSandbox', 'boolean', readonly),
        f('TrialExpirationDate', 'datetime', readonly),
        s('NamespacePrefix', 15, readonly),
        f('IsReadOnly', 'boolean', readonly)
      ],
      { keyPrefix: '00D', createable: false, deletable: false, triggerable: false }
    )
  );

  objs.push(
    makeObject(
      'Profile',
      [
        s('Name', 255, { nillable: false }),
        f('Description', 'textarea', { length: 255 }),
        pick('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], readonly),
        ...permissionFields()
      ],
      { keyPrefix: '00e', triggerable: false }
    )
  );

  objs.push(
    makeObject(
      'PermissionSet',
      [
        s('Name', 80, { nillable: false, label: 'Name' }),
        s('Label', 80, { nillable: false }),
        f('Description', 'textarea', { length: 255 }),
        f('IsOwnedByProfile', 'boolean', readonly),
        ref('ProfileId', ['Profile'], 'Profile', readonly),
        s('NamespacePrefix', 15, readonly),
        ...permissionFields()
      ],
      { keyPrefix: '0PS', triggerable: false, nameField: 'Name' }
    )
  );

  objs.push(
    makeObject(
      'PermissionSetAssignment',
      [
        ref('AssigneeId', ['User'], 'Assignee', {
          nillable: false,
          required: true,
          updateable: false
        }),
        ref('PermissionSetId', ['PermissionSet'], 'PermissionSet', {
          nillable: false,
          required: true,
          updateable: false
        }),
        f('IsActive', 'boolean', { ...readonly, defaultValue: true })
      ],
      { keyPrefix: '0Pa', triggerable: false, nameField: null, updateable: false }
    )
  );

  objs.push(
    makeObject(
      'Group',
      [
        s('Name', 40, { nillable: false }),
        s('DeveloperName', 80),
        pick(
          'Type',
          ['Regular', 'Role', 'RoleAndSubordinates', 'Organization', 'Queue', 'Manager'],
          { nillable: false, required: true }
        ),
        s('Email', 255),
        f('DoesSendEmailToMembers', 'boolean'),
        f('DoesIncludeBosses', 'boolean'),
        ref('RelatedId', ['User', 'UserRole'], 'Related', readonly)
      ],
      { keyPrefix: '00G', triggerable: false, hasOwner: true }
    )
  );

  objs.push(
    makeObject(
      'RecordType',
      [
        s('Name', 80, { nillable: false }),
        s('DeveloperName', 80, { nillable: false }),
        s('SobjectType', 40, { nillable: false }),
        f('IsActive', 'boolean'),
        f('Description', 'textarea', { length: 255 }),
        s('NamespacePrefix', 15, readonly),
        ...(personAccounts ? [f('IsPersonType', 'boolean', readonly)] : [])
      ],
      { keyPrefix: '012', triggerable: false }
    )
  );

  objs.push(
    makeObject(
      'User',
      [
        s('Username', 80, { nillable: false, unique: true, idLookup: true }),
        s('FirstName', 40),
        s('LastName', 80, { nillable: false }),
        s('Name', 121, compound),
        f('Email', 'email', { nillable: false }),
        s('Alias', 8, { nillable: false }),
        s('CommunityNickname', 40, { unique: true }),
        s('Title', 80),
        s('Department', 80),
        s('CompanyName', 80),
        f('Phone', 'phone'),
        f('MobilePhone', 'phone'),
        ...address(''),
        ref('ProfileId', ['Profile'], 'Profile', { nillable: false }),
        ref('UserRoleId', ['UserRole'], 'UserRole'),
        ref('ManagerId', ['User'], 'Manager'),
        f('IsActive', 'boolean', { defaultValue: true }),
        pick('TimeZoneSidKey', [], { nillable: false, label: 'Time Zone' }),
        pick('LocaleSidKey', [], { nillable: false, label: 'Locale' }),
        pick('LanguageLocaleKey', LANG, { nillable: false, label: 'Language' }),
        pick('EmailEncodingKey', EMAIL_ENC, { nillable: false, label: 'Email Encoding' }),
        pick('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], readonly),
        s('FederationIdentifier', 512),
        f('LastLoginDate', 'datetime', readonly),
        f('UserPermissionsMarketingUser', 'boolean'),
        f('UserPermissionsOfflineUser', 'boolean'),
        f('UserPermissionsKnowledgeUser', 'boolean'),
        f('UserPermissionsInteractionUser', 'boolean'),
        f('UserPermissionsSupportUser', 'boolean'),
        ref('ContactId', ['Contact'], 'Contact'),
        ref('AccountId', ['Account'], 'Account', readonly)
      ],
      { keyPrefix: '005', deletable: false, sharingModel: 'Read' }
    )
  );

  objs.push(
    makeObject(
      'UserRole',
      [
        s('Name', 80, { nillable: false }),
        s('DeveloperName', 80),
        ref('ParentRoleId', ['UserRole'], 'ParentRole')
      ],
      { keyPrefix: '00E', triggerable: false }
    )
  );

  const accountFields: FieldDescribe[] = [
    s('Name', 255, { nillable: false }),
    s('AccountNumber', 40),
    f('Phone', 'phone'),
    f('Fax', 'phone'),
    f('Website', 'url'),
    pick('Type', [
      'Prospect',
      'Customer - Direct',
      'Customer - Channel',
      'Channel Partner / Reseller',
      'Installation Partner',
      'Technology Partner',
      'Other'
    ]),
    pick('Industry', ['Agriculture', 'Banking', 'Finance', 'Insurance', 'Technology', 'Other']),
    pick('Rating', ['Hot', 'Warm', 'Cold']),
    pick('AccountSource', LEAD_SOURCES),
    f('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
    f('NumberOfEmployees', 'integer', { precision: 8 }),
    f('Description', 'textarea', { length: 32000 }),
    s('Site', 80),
    s('Sic', 20),
    ref('ParentId', ['Account'], 'Parent'),
    ref('RecordTypeId', ['RecordType'], 'RecordType'),
    ...address('Billing', 'Billing'),
    ...address('Shipping', 'Shipping')
  ];
  if (personAccounts) {
    const pa = { personAccount: true };
    accountFields.push(
      f('IsPersonAccount', 'boolean', { ...readonly, ...pa, label: 'Is Person Account' }),
      ref('PersonContactId', ['Contact'], 'PersonContact', { ...readonly, ...pa }),
      pick('Salutation', SALUTATIONS, pa),
      s('FirstName', 40, pa),
      s('MiddleName', 40, pa),
      s('LastName', 80, pa),
      f('PersonEmail', 'email', { ...pa, label: 'Email' }),
      f('PersonMobilePhone', 'phone', { ...pa, label: 'Mobile' }),
      f('PersonHomePhone', 'phone', { ...pa, label: 'Home Phone' }),
      f('PersonOtherPhone', 'phone', { ...pa, label: 'Other Phone' }),
      f('PersonBirthdate', 'date', { ...pa, label: 'Birthdate' }),
      s('PersonTitle', 80, { ...pa, label: 'Title' }),
      pick('PersonLeadSource', LEAD_SOURCES, { ...pa, label: 'Lead Source' }),
      f('PersonHasOptedOutOfEmail', 'boolean', { ...pa, label: 'Email Opt Out' }),
      ...address('PersonMailing', 'Mailing').map((x) => ({ ...x, personAccount: true })),
      ...address('PersonOther', 'Other').map((x) => ({ ...x, personAccount: true }))
    );
  }
  objs.push(
    makeObject('Account', accountFields, {
      keyPrefix: '001',
      hasOwner: true,
      sharingModel: 'ReadWrite'
    })
  );

  objs.push(
    makeObject(
      'Contact',
      [
        pick('Salutation', SALUTATIONS),
        s('FirstName', 40),
        s('MiddleName', 40),
        s('LastName', 80, { nillable: false }),
        s('Name', 121, compound),
        // Deleting an Account deletes its Contacts and Opportunities (and restores them on undelete).
        ref('AccountId', ['Account'], 'Account', {
          deleteConstraint: 'Cascade',
          cascadeDelete: true
        }),
        f('Email', 'email'),
        f('Phone', 'phone'),
        f('MobilePhone', 'phone'),
        f('HomePhone', 'phone'),
        f('OtherPhone', 'phone'),
        f('Fax', 'phone'),
        s('Title', 128),
        s('Department', 80),
        f('Birthdate', 'date'),
        pick('LeadSource', LEAD_SOURCES),
        f('Description', 'textarea', { length: 32000 }),
        f('HasOptedOutOfEmail', 'boolean'),
        f('DoNotCall', 'boolean'),
        ref('ReportsToId', ['Contact'], 'ReportsTo'),
        ref('RecordTypeId', ['RecordType'], 'RecordType'),
        ...(personAccounts
          ? [f('IsPersonAccount', 'boolean', { ...readonly, personAccount: true })]
          : []),
        ...address('Mailing', 'Mailing'),
        ...address('Other', 'Other')
      ],
      { keyPrefix: '003', hasOwner: true, sharingModel: 'ControlledByParent' }
    )
  );

  objs.push(
    makeObject(
      'Lead',
      [
        pick('Salutation', SALUTATIONS),
        s('FirstName', 40),
        s('MiddleName', 40),
        s('LastName', 80, { nillable: false }),
        s('Name', 121, compound),
        s('Company', 255, { nillable: false }),
        s('Title', 128),
        f('Email', 'email'),
        f('Phone', 'phone'),
        f('MobilePhone', 'phone'),
        f('Fax', 'phone'),
        f('Website', 'url'),
        ...address(''),
        pick(
          'Status',
          [
            'Open - Not Contacted',
            'Working - Contacted',
            'Closed - Converted',
            'Closed - Not Converted'
          ],
          {
            nillable: false,
            defaultValue: 'Open - Not Contacted',
            defaultedOnCreate: true
          }
        ),
        pick('LeadSource', LEAD_SOURCES),
        pick('Industry', ['Agriculture', 'Banking', 'Finance', 'Insurance', 'Technology', 'Other']),
        pick('Rating', ['Hot', 'Warm', 'Cold']),
        f('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
        f('NumberOfEmployees', 'integer', { precision: 8 }),
        f('Description', 'textarea', { length: 32000 }),
        f('HasOptedOutOfEmail', 'boolean'),
        f('DoNotCall', 'boolean'),
        f('IsConverted', 'boolean', { createable: true, updateable: false }),
        f('ConvertedDate', 'date', readonly),
        ref('ConvertedAccountId', ['Account'], 'ConvertedAccount', readonly),
        ref('ConvertedContactId', ['Contact'], 'ConvertedContact', readonly),
        ref('ConvertedOpportunityId', ['Opportunity'], 'ConvertedOpportunity', readonly),
        f('IsUnreadByOwner', 'boolean'),
        ref('RecordTypeId', ['RecordType'], 'RecordType')
      ],
      {
        keyPrefix: '00Q',
        hasOwner: true,
        ownerTo: ['Group', 'User'],
        sharingModel: 'ReadWriteTransfer'
      }
    )
  );

  objs.push(
    makeObject(
      'Opportunity',
      [
        s('Name', 120, { nillable: false }),
        // Deleting an Account deletes its Contacts and Opportunities (and restores them on undelete).
        ref('AccountId', ['Account'], 'Account', {
          deleteConstraint: 'Cascade',
          cascadeDelete: true
        }),
        pick(
          'StageName',
          [
            'Prospecting',
            'Qualification',
            'Needs Analysis',
            'Value Proposition',
            'Id. Decision Makers',
            'Perception Analysis',
            'Proposal/Price Quote',
            'Negotiation/Review',
            'Closed Won',
            'Closed Lost'
          ],
          {
            nillable: false,
            label: 'Stage'
          }
        ),
        f('CloseDate', 'date', { nillable: false }),
        f('Amount', 'currency', { precision: 18, scale: 2 }),
        f('Probability', 'percent', { precision: 3, scale: 0 }),
        pick('Type', [
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'Existing Customer - Downgrade',
          'New Customer'
        ]),
        pick('LeadSource', LEAD_SOURCES),
        s('NextStep', 255),
        f('Description', 'textarea', { length: 32000 }),
        f('IsClosed', 'boolean', readonly),
        f('IsWon', 'boolean', readonly),
        pick(
          'ForecastCategoryName',
          ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'],
          readonly
        ),
        ref('ContactId', ['Contact'], 'Contact'),
        ref('RecordTypeId', ['RecordType'], 'RecordType')
      ],
      { keyPrefix: '006', hasOwner: true, sharingModel: 'Read' }
    )
  );

  const whoWhat = (whatTo: string[]) => [
    ref('WhoId', ['Contact', 'Lead'], 'Who', { polymorphic: true, label: 'Name ID' }),
    ref('WhatId', whatTo, 'What', { polymorphic: true, label: 'Related To ID' }),
    ref('AccountId', ['Account'], 'Account', readonly)
  ];
  const activityCommon = (): FieldDescribe[] => [
    f('Description', 'textarea', { length: 32000 }),
    f('ActivityDate', 'date', { label: 'Due Date Only' }),
    f('IsPrivate', 'boolean'),
    f('IsRecurrence', 'boolean', readonly),
    f('IsArchived', 'boolean', readonly),
    ref('RecordTypeId', ['RecordType'], 'RecordType')
  ];

  // WhatId targets are extended with activity-enabled custom objects when the schema is assembled.
  const WHAT = ['Account', 'Opportunity'];
  objs.push(
    makeObject(
      'Event',
      [
        f('Subject', 'combobox', {
          length: 255,
          picklistValues: picklist(['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'])
        }),
        ...whoWhat(WHAT),
        f('StartDateTime', 'datetime', { label: 'Start' }),
        f('EndDateTime', 'datetime', { label: 'End' }),
        f('ActivityDateTime', 'datetime', { label: 'Due Date Time' }),
        f('DurationInMinutes', 'integer', { label: 'Duration' }),
        f('EndDate', 'date', readonly),
        s('Location', 255),
        f('IsAllDayEvent', 'boolean', { label: 'All-Day Event' }),
        pick('ShowAs', ['Busy', 'OutOfOffice', 'Free', 'Tentative'], {
          label: 'Show Time As',
          defaultValue: 'Busy',
          defaultedOnCreate: true
        }),
        f('IsChild', 'boolean', readonly),
        f('IsGroupEvent', 'boolean', readonly),
        pick('Type', ['Call', 'Email', 'Meeting', 'Other']),
        ...activityCommon()
      ],
      {
        keyPrefix: '00U',
        hasOwner: true,
        ownerTo: ['Calendar', 'User'],
        nameField: 'Subject',
        sharingModel: 'Private'
      }
    )
  );

  objs.push(
    makeObject(
      'Task',
      [
        f('Subject', 'combobox', {
          length: 255,
          picklistValues: picklist(['Call', 'Send Letter', 'Send Quote', 'Other'])
        }),
        ...whoWhat(WHAT),
        pick(
          'Status',
          ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
          {
            nillable: false,
            defaultValue: 'Not Started',
            defaultedOnCreate: true
          }
        ),
        pick('Priority', ['High', 'Normal', 'Low'], {
          nillable: false,
          defaultValue: 'Normal',
          defaultedOnCreate: true
        }),
        f('IsClosed', 'boolean', readonly),
        f('IsHighPriority', 'boolean', readonly),
        pick('TaskSubtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn']),
        pick('Type', ['Call', 'Email', 'Meeting', 'Other']),
        f('CompletedDateTime', 'datetime', readonly),
        f('CallDurationInSeconds', 'integer'),
        ...activityCommon()
      ],
      {
        keyPrefix: '00T',
        hasOwner: true,
        ownerTo: ['Group', 'User'],
        nameField: 'Subject',
        sharingModel: 'Private'
      }
    )
  );

  objs.push(
    makeObject(
      'LeadStatus',
      [
        s('MasterLabel', 255, { nillable: false, label: 'Master Label' }),
        s('ApiName', 255, readonly),
        f('IsConverted', 'boolean'),
        f('IsDefault', 'boolean'),
        f('SortOrder', 'integer')
      ],
      { keyPrefix: '01J', triggerable: false, nameField: null }
    )
  );

  objs.push(
    makeObject(
      'ApexClass',
      [
        s('Name', 255, readonly),
        s('NamespacePrefix', 15, readonly),
        f('Body', 'textarea', { length: 1000000, ...readonly }),
        f('ApiVersion', 'double', { precision: 18, scale: 1, ...readonly }),
        pick('Status', ['Inactive', 'Active', 'Deleted'], readonly),
        f('IsValid', 'boolean', readonly),
        f('LengthWithoutComments', 'integer', readonly)
      ],
      {
        keyPrefix: '01p',
        createable: false,
        updateable: false,
        deletable: false,
        triggerable: false
      }
    )
  );
  objs.push(
    makeObject(
      'ApexTrigger',
      [
        s('Name', 255, readonly),
        s('NamespacePrefix', 15, readonly),
        s('TableEnumOrId', 40, readonly),
        f('Body', 'textarea', { length: 1000000, ...readonly }),
        pick('Status', ['Inactive', 'Active', 'Deleted'], readonly),
        f('IsValid', 'boolean', readonly)
      ],
      {
        keyPrefix: '01q',
        createable: false,
        updateable: false,
        deletable: false,
        triggerable: false
      }
    )
  );
  objs.push(
    makeObject(
      'AsyncApexJob',
      [
        ref('ApexClassId', ['ApexClass'], 'ApexClass', readonly),
        pick(
          'JobType',
          [
            'Future',
            'SharingRecalculation',
            'ScheduledApex',
            'BatchApex',
            'BatchApexWorker',
            'TestRequest',
            'TestWorker',
            'ApexToken',
            'Queueable'
          ],
          readonly
        ),
        pick(
          'Status',
          ['Queued', 'Processing', 'Aborted', 'Completed', 'Failed', 'Preparing', 'Holding'],
          readonly
        ),
        s('MethodName', 255, readonly),
        f('JobItemsProcessed', 'integer', readonly),
        f('TotalJobItems', 'integer', readonly),
        f('NumberOfErrors', 'integer', readonly),
        f('CompletedDate', 'datetime', readonly),
        s('ExtendedStatus', 255, readonly),
        ref('ParentJobId', ['AsyncApexJob'], 'ParentJob', readonly)
      ],
      {
        keyPrefix: '707',
        createable: false,
        updateable: false,
        deletable: false,
        triggerable: false,
        nameField: null
      }
    )
  );
  for (const o of objs) {
    const l = STANDARD_LABELS[o.name];
    if (l) [o.label, o.labelPlural] = l;
    for (const [field, label] of Object.entries(STANDARD_FIELD_LABELS[o.name] ?? {})) {
      const fd = o.fields.get(field.toLowerCase());
      if (fd) fd.label = label;
    }
  }
  return objs;
}

/**
 * Singular and plural labels of the built-in objects as an English org describes them
 * (DescribeSObjectResult.getLabel / getLabelPlural; Salesforce Object Reference).
 */
export const STANDARD_LABELS: Record<string, [string, string]> = {
  Organization: ['Organization', 'Organizations'],
  Profile: ['Profile', 'Profiles'],
  PermissionSet: ['Permission Set', 'Permission Sets'],
  PermissionSetAssignment: ['Permission Set Assignment', 'Permission Set Assignments'],
  Group: ['Group', 'Groups'],
  RecordType: ['Record Type', 'Record Types'],
  User: ['User', 'Users'],
  UserRole: ['Role', 'Roles'],
  Account: ['Account', 'Accounts'],
  Contact: ['Contact', 'Contacts'],
  Lead: ['Lead', 'Leads'],
  Opportunity: ['Opportunity', 'Opportunities'],
  Event: ['Event', 'Events'],
  Task: ['Task', 'Tasks'],
  LeadStatus: ['Lead Status Value', 'Lead Status Values'],
  ApexClass: ['Apex Class', 'Apex Classes'],
  ApexTrigger: ['Apex Trigger', 'Apex Triggers'],
  AsyncApexJob: ['Apex Job', 'Apex Jobs']
};

/** Standard field labels that differ from the API name (DescribeFieldResult.getLabel). */
const STANDARD_FIELD_LABELS: Record<string, Record<string, string>> = {
  Account: { Name: 'Account Name' },
  Contact: { Name: 'Full Name' },
  Lead: { Name: 'Full Name' },
  User: { Name: 'Full Name' },
  RecordType: { Name: 'Record Type Name' },
  Opportunity: { Name: 'Name' }
};

/** Standard objects that get fields declared under objects/Activity/. */
export const ACTIVITY_OBJECTS = ['Event', 'Task'];
