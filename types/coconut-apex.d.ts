// The Apex methods of CoconutAppointmentsController as the components see them: callable
// imperatively (a Promise) and usable as a wire adapter. Keep in step with the Apex DTOs.
// A script (no top-level import/export), so its declarations are global and ambient.

declare namespace CoconutApex {
  /** CoconutAppointmentsController.AppointmentView; Datetimes arrive as ISO-8601 UTC strings. */
  interface AppointmentView {
    id: string;
    coconutId?: string;
    code?: string;
    status?: string;
    statusRaw?: string;
    start: string;
    endTime?: string;
    timeZone?: string;
    durationMinutes?: number;
    services?: string;
    staffName?: string;
    meetingMethod?: string;
    meetingLink?: string;
    locationName?: string;
    locationAddress?: string;
    walkIn?: boolean;
    notes?: string;
    cancelReason?: string;
    attendeeStatus?: string;
    attendeeCancelReason?: string;
    attendeeCount?: number;
    attendeeNames?: string[];
    coconutUrl?: string;
  }

  /** CoconutAppointmentsController.AppointmentPage */
  interface AppointmentPage {
    records: AppointmentView[];
    total: number;
    upcomingCount: number;
    pastCount: number;
    hasMore: boolean;
  }

  /** CoconutAppointmentsController.BookingContext */
  interface BookingContext {
    bookingUrl?: string;
    clientName?: string;
    salesforceId?: string;
  }

  type Tab = 'upcoming' | 'past';
  type Range = 'today' | 'week';

  /** A wired Apex value. */
  interface Wired<T> {
    data?: T;
    error?: unknown;
  }

  /** An imported Apex method: a function returning a Promise, and a wire adapter. */
  type Method<Params extends Record<string, unknown>, Result> = ((
    params: Params
  ) => Promise<Result>) &
    import('lwc').WireAdapterConstructor<Params, Wired<Result>>;
}

declare module '@salesforce/apex/CoconutAppointmentsController.getAppointments' {
  const getAppointments: CoconutApex.Method<
    { recordId: string; tab: CoconutApex.Tab; pageSize: number; offset: number },
    CoconutApex.AppointmentPage
  >;
  export default getAppointments;
}

declare module '@salesforce/apex/CoconutAppointmentsController.getBookingContext' {
  const getBookingContext: CoconutApex.Method<{ recordId: string }, CoconutApex.BookingContext>;
  export default getBookingContext;
}

declare module '@salesforce/apex/CoconutAppointmentsController.getMyAppointments' {
  const getMyAppointments: CoconutApex.Method<
    { range: CoconutApex.Range },
    CoconutApex.AppointmentPage
  >;
  export default getMyAppointments;
}
