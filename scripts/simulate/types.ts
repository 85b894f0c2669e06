/**
 * The request and response shapes of POST /services/apexrest/coconut/v1/appointments, as the
 * simulator produces and reads them (see docs/api/ and /work/shared/COCONUT-DATA.md).
 */

/** Coconut statuses the simulator sends (the package normalizes case, spaces, `-` and `_`). */
export const COCONUT_STATUSES = [
  'confirmed',
  'arrived',
  'in progress',
  'completed',
  'cancelled',
  'no-show'
] as const;
export type CoconutStatus = (typeof COCONUT_STATUSES)[number];

export interface CoconutLocation {
  id: number;
  name: string;
  virtual: boolean;
  address: string | null;
  city: string | null;
  region: string | null;
  country: string;
  postcode: string | null;
  timezone: string;
}

export interface CoconutService {
  id: number;
  name: string;
}

export interface CoconutStaff {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
}

export interface CoconutAnswer {
  question_id: number;
  label: string;
  value: string;
}

export interface CoconutAttendee {
  id: number;
  status: string;
  cancel_reason: string | null;
  external_id: string | null;
  client_id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  cell_phone: string | null;
  address: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  postcode: string | null;
  timezone: string;
  language: string;
  receive_sms: boolean;
  answers: CoconutAnswer[];
}

/** One appointment item: the full state of one appointment at `updated_at`. */
export interface CoconutAppointment {
  id: number;
  code: string;
  status: string;
  /** Local wall-clock `YYYY-MM-DD HH:MM:SS` in `timezone`. */
  start: string;
  end: string;
  timezone: string;
  meeting_method: number;
  meeting_link: string | null;
  booked_through: number;
  walk_in: boolean;
  locale: string;
  notes: string | null;
  cancel_reason: string | null;
  /** ISO-8601 UTC instants (`2026-03-01T18:22:05Z`). */
  created_at: string;
  updated_at: string;
  location: CoconutLocation;
  services: CoconutService[];
  staff: CoconutStaff | null;
  additional_staff?: CoconutStaff[];
  attendees: CoconutAttendee[];
}

export interface AppointmentsRequest {
  appointments: unknown[];
}

export type ResultStatus = 'created' | 'updated' | 'unchanged' | 'stale' | 'error';
export const RESULT_STATUSES: readonly ResultStatus[] = [
  'created',
  'updated',
  'unchanged',
  'stale',
  'error'
];

export interface ApiError {
  code: string;
  field: string | null;
  message: string;
}

export interface ItemResult {
  index: number;
  coconutId: string | null;
  status: ResultStatus;
  appointmentId: string | null;
  attendees: {
    coconutAttendeeId?: string;
    attendeeId?: string;
    recordId?: string;
    matchedBy?: string;
  }[];
  errors: ApiError[];
  warnings?: ApiError[];
}

export interface AppointmentsResponse {
  requestId: string;
  results: ItemResult[];
  counts: Partial<Record<ResultStatus, number>>;
}
