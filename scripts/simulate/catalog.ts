/**
 * The fixed world the simulator plays in: a Canadian credit union ("Northern Shores Credit
 * Union") with branches in four time zones, its advisors, the services it books and the booking
 * questions it asks. Demo-data seeding can use STAFF to create matching Salesforce users
 * (User.Coconut_Staff_Id__c = String(staff.id), Email = staff.email).
 */
import type { CoconutLocation, CoconutService, CoconutStaff } from './types.ts';

export interface Branch {
  location: CoconutLocation;
  /** Opening hours per ISO weekday (1 = Monday … 7 = Sunday): [open, close] in minutes. */
  hours: Partial<Record<number, [number, number]>>;
  /** Client city pool near the branch: [city, region, postcode prefix, phone area code]. */
  area: { city: string; region: string; postcodePrefix: string; areaCode: string }[];
}

const weekdays = (open: number, close: number): Partial<Record<number, [number, number]>> => ({
  1: [open, close],
  2: [open, close],
  3: [open, close],
  4: [open, close + 120],
  5: [open, close]
});

export const BRANCHES: readonly Branch[] = [
  {
    location: {
      id: 101,
      name: 'Bay Street Branch',
      virtual: false,
      address: '200 Bay St',
      city: 'Toronto',
      region: 'ON',
      country: 'CA',
      postcode: 'M5J 2J2',
      timezone: 'America/Toronto'
    },
    hours: { ...weekdays(9 * 60, 17 * 60), 6: [9 * 60 + 30, 13 * 60] },
    area: [
      { city: 'Toronto', region: 'ON', postcodePrefix: 'M4', areaCode: '416' },
      { city: 'Mississauga', region: 'ON', postcodePrefix: 'L5', areaCode: '905' },
      { city: 'Toronto', region: 'ON', postcodePrefix: 'M6', areaCode: '647' }
    ]
  },
  {
    location: {
      id: 102,
      name: 'Glebe Branch',
      virtual: false,
      address: '780 Bank St',
      city: 'Ottawa',
      region: 'ON',
      country: 'CA',
      postcode: 'K1S 3V6',
      timezone: 'America/Toronto'
    },
    hours: weekdays(9 * 60 + 30, 16 * 60 + 30),
    area: [
      { city: 'Ottawa', region: 'ON', postcodePrefix: 'K1', areaCode: '613' },
      { city: 'Gatineau', region: 'QC', postcodePrefix: 'J8', areaCode: '819' }
    ]
  },
  {
    location: {
      id: 103,
      name: 'Portage Avenue Branch',
      virtual: false,
      address: '333 Portage Ave',
      city: 'Winnipeg',
      region: 'MB',
      country: 'CA',
      postcode: 'R3B 2C1',
      timezone: 'America/Winnipeg'
    },
    hours: { ...weekdays(9 * 60, 17 * 60), 6: [10 * 60, 14 * 60] },
    area: [
      { city: 'Winnipeg', region: 'MB', postcodePrefix: 'R3', areaCode: '204' },
      { city: 'St. Boniface', region: 'MB', postcodePrefix: 'R2', areaCode: '431' }
    ]
  },
  {
    location: {
      id: 104,
      name: 'Kitsilano Branch',
      virtual: false,
      address: '2150 W 4th Ave',
      city: 'Vancouver',
      region: 'BC',
      country: 'CA',
      postcode: 'V6K 1N6',
      timezone: 'America/Vancouver'
    },
    hours: weekdays(9 * 60, 17 * 60),
    area: [
      { city: 'Vancouver', region: 'BC', postcodePrefix: 'V6', areaCode: '604' },
      { city: 'Burnaby', region: 'BC', postcodePrefix: 'V5', areaCode: '778' }
    ]
  },
  {
    location: {
      id: 105,
      name: 'Spring Garden Branch',
      virtual: false,
      address: '5640 Spring Garden Rd',
      city: 'Halifax',
      region: 'NS',
      country: 'CA',
      postcode: 'B3J 3M7',
      timezone: 'America/Halifax'
    },
    hours: { ...weekdays(9 * 60 + 30, 17 * 60), 6: [10 * 60, 13 * 60] },
    area: [
      { city: 'Halifax', region: 'NS', postcodePrefix: 'B3', areaCode: '902' },
      { city: 'Dartmouth', region: 'NS', postcodePrefix: 'B2', areaCode: '782' }
    ]
  },
  {
    location: {
      id: 110,
      name: 'Virtual Advice Centre',
      virtual: true,
      address: null,
      city: null,
      region: null,
      country: 'CA',
      postcode: null,
      timezone: 'America/Toronto'
    },
    hours: { ...weekdays(8 * 60, 20 * 60), 6: [9 * 60, 15 * 60] },
    area: [
      { city: 'Kingston', region: 'ON', postcodePrefix: 'K7', areaCode: '343' },
      { city: 'Regina', region: 'SK', postcodePrefix: 'S4', areaCode: '306' },
      { city: 'Victoria', region: 'BC', postcodePrefix: 'V8', areaCode: '250' }
    ]
  }
];

export interface ServiceSpec extends CoconutService {
  minutes: number;
  /** Relative popularity. */
  weight: number;
  /** Usual meeting methods with weights (1 location, 2 phone, 3 video, 4 off-site). */
  methods: readonly (readonly [number, number])[];
  notes: readonly string[];
}

export const SERVICES: readonly ServiceSpec[] = [
  {
    id: 7,
    name: 'Mortgage Renewal',
    minutes: 60,
    weight: 5,
    methods: [
      [1, 5],
      [3, 3],
      [2, 2]
    ],
    notes: [
      'Renewal date is next month; wants to compare fixed and variable',
      'Wants to discuss a mortgage renewal',
      'Considering a shorter amortization'
    ]
  },
  {
    id: 8,
    name: 'Open an Account',
    minutes: 30,
    weight: 6,
    methods: [
      [1, 8],
      [3, 2]
    ],
    notes: [
      'New to Canada, needs a chequing account',
      'Student account',
      'Joint account with spouse'
    ]
  },
  {
    id: 9,
    name: 'Financial Planning',
    minutes: 60,
    weight: 4,
    methods: [
      [1, 4],
      [3, 4],
      [2, 1],
      [4, 1]
    ],
    notes: ['Retirement in five years', 'RESP for two children', 'Review of investment portfolio']
  },
  {
    id: 10,
    name: 'Loan Consultation',
    minutes: 45,
    weight: 4,
    methods: [
      [1, 5],
      [2, 3],
      [3, 2]
    ],
    notes: ['Car loan pre-approval', 'Home renovation line of credit', 'Debt consolidation']
  },
  {
    id: 11,
    name: 'RRSP and TFSA Review',
    minutes: 45,
    weight: 3,
    methods: [
      [1, 3],
      [3, 3],
      [2, 2]
    ],
    notes: ['Contribution room questions', 'Moving savings from another institution']
  },
  {
    id: 12,
    name: 'Small Business Banking',
    minutes: 60,
    weight: 2,
    methods: [
      [1, 4],
      [4, 2],
      [3, 2]
    ],
    notes: ['Opening a business account for a new bakery', 'Merchant services and payroll']
  },
  {
    id: 13,
    name: 'Estate Planning',
    minutes: 90,
    weight: 1,
    methods: [
      [1, 3],
      [4, 1]
    ],
    notes: ['Power of attorney and will review', 'Executor questions after a death in the family']
  }
];

/** Advisors per branch; ids are Coconut staff ids. */
export const STAFF: readonly (CoconutStaff & { locationId: number })[] = [
  staff(4, 'Sam', 'Lee', 101),
  staff(5, 'Priya', 'Raman', 101),
  staff(6, 'Marc', 'Tremblay', 101),
  staff(14, 'Olivia', 'Chen', 102),
  staff(15, 'Étienne', 'Gagnon', 102),
  staff(21, 'Daniel', 'Friesen', 103),
  staff(22, 'Amélie', 'Roy', 103),
  staff(23, 'Jas', 'Dhillon', 103),
  staff(31, 'Harper', 'Nguyen', 104),
  staff(32, 'Wei', 'Zhang', 104),
  staff(41, 'Connor', 'MacLeod', 105),
  staff(42, 'Fatima', 'Haddad', 105),
  staff(51, 'Grace', 'Okafor', 110),
  staff(52, 'Lucas', 'Martin', 110)
];

function staff(
  id: number,
  first: string,
  last: string,
  locationId: number
): CoconutStaff & { locationId: number } {
  const ascii = (s: string): string =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  return {
    id,
    first_name: first,
    last_name: last,
    email: `${ascii(first)}.${ascii(last)}@northernshores.example`,
    locationId
  };
}

export const CANCEL_REASONS: readonly string[] = [
  'Client requested',
  'Scheduling conflict',
  'Feeling unwell',
  'Branch closed due to weather',
  'Booked by mistake',
  'Found a time at another branch',
  'Advisor unavailable',
  'No longer needed'
];

export const WALK_IN_CANCEL_REASONS: readonly string[] = [
  'Left before being served',
  'Wait time too long',
  'Served at the teller instead'
];

export const QUESTIONS = [
  { question_id: 1, label: 'Account number' },
  { question_id: 2, label: 'What would you like to discuss?' },
  { question_id: 3, label: 'How did you hear about us?' }
] as const;

export const HEARD_ABOUT = [
  'Friend or family',
  'Website',
  'Radio ad',
  'Existing member',
  'Social media'
];

export const FIRST_NAMES: readonly string[] = [
  'Jane',
  'Liam',
  'Noah',
  'Emma',
  'Olivia',
  'Aarav',
  'Chloé',
  'Mohammed',
  'Sofia',
  'Ethan',
  'Mia',
  'Lucas',
  'Zoé',
  'Benjamin',
  'Ava',
  'Hiroshi',
  'Isabelle',
  'Mateo',
  'Leah',
  'Gabriel',
  'Nora',
  'Owen',
  'Ananya',
  'Félix',
  'Hannah',
  'Jacob',
  'Amira',
  'William',
  'Charlotte',
  'Kai',
  'Maya',
  'Samuel',
  'Élodie',
  'Arjun',
  'Grace',
  'Thomas',
  'Layla',
  'Henry',
  'Yuki',
  'Rosalie'
];

export const LAST_NAMES: readonly string[] = [
  'Doe',
  'Smith',
  'Tremblay',
  'Martin',
  'Roy',
  'Wilson',
  'MacDonald',
  'Gagnon',
  'Johnson',
  'Lee',
  'Brown',
  'Singh',
  'Nguyen',
  'Côté',
  'Campbell',
  'Anderson',
  'Bouchard',
  'Patel',
  'Kim',
  'Morin',
  'Taylor',
  'Fraser',
  'Chen',
  'Lavoie',
  'White',
  'Mackenzie',
  'Fortin',
  'Kaur',
  'Wong',
  'Bélanger'
];

export const STREETS: readonly string[] = [
  'Elm St',
  'Maple Ave',
  'King St W',
  'Queen St E',
  'Main St',
  'Oak Cres',
  'Birch Rd',
  'Water St',
  'Church St',
  'Victoria Ave',
  'Park Blvd',
  'Lakeshore Rd',
  'Cedar Dr',
  'Wellington St'
];
