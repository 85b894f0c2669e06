import { LightningElement, api } from 'lwc';
import viewerTimeZone from '@salesforce/i18n/timeZone';
import { formatDuration, meetingInfo, zonesDiffer, type MeetingInfo } from 'c/coconutFormat';

/**
 * One appointment: when (viewer's time zone, plus the appointment's own zone when it shows a
 * different time), how long, what, with whom, where or how to join, status, walk-in marker,
 * notes preview, the client's own status in a group appointment, and a link to Coconut.
 */
export default class CoconutAppointmentItem extends LightningElement {
  /** The appointment (CoconutAppointmentsController.AppointmentView). */
  @api appointment?: CoconutApex.AppointmentView;
  /** Record page: show the client's own attendee status in group appointments. */
  @api showClientStatus = false;
  /** Staff view: show who attends instead of the staff member. */
  @api showAttendees = false;
  /** Narrow region (sidebar): stack instead of two columns. */
  @api compact = false;

  readonly viewerTimeZone: string = viewerTimeZone;

  get appt(): CoconutApex.AppointmentView {
    return this.appointment ?? { id: '', start: '' };
  }

  get headingId(): string {
    return `coconut-appointment-${this.appt.id}`;
  }

  get heading(): string {
    const services = this.appt.services?.trim();
    if (services) {
      return services;
    }
    return this.appt.code ? `Appointment ${this.appt.code}` : 'Appointment';
  }

  get containerClass(): string {
    return this.compact
      ? 'coconut-item coconut-item_compact slds-p-vertical_small'
      : 'coconut-item slds-grid slds-wrap slds-gutters_small slds-p-vertical_small';
  }

  get whenClass(): string {
    return this.compact
      ? 'slds-m-bottom_x-small'
      : 'slds-col slds-size_1-of-1 slds-medium-size_1-of-3';
  }

  get detailsClass(): string {
    return this.compact ? '' : 'slds-col slds-size_1-of-1 slds-medium-size_2-of-3';
  }

  get showOwnZone(): boolean {
    return zonesDiffer(this.appt.start, this.viewerTimeZone, this.appt.timeZone);
  }

  get duration(): string {
    return formatDuration(this.appt.durationMinutes);
  }

  get meeting(): MeetingInfo | undefined {
    return meetingInfo(this.appt.meetingMethod);
  }

  get isAtLocation(): boolean {
    return this.appt.meetingMethod === 'At Location' || this.appt.meetingMethod === 'Off-site';
  }

  get hasLocation(): boolean {
    return this.isAtLocation && Boolean(this.appt.locationName || this.appt.locationAddress);
  }

  get joinLink(): string | undefined {
    return this.isAtLocation ? undefined : this.appt.meetingLink || undefined;
  }

  get joinLabel(): string {
    return this.appt.meetingMethod === 'Phone Call' ? 'Call details' : 'Join video call';
  }

  get joinAssistiveText(): string {
    return ` for ${this.heading} (opens in a new tab)`;
  }

  get showStaff(): boolean {
    return !this.showAttendees && Boolean(this.appt.staffName);
  }

  get attendeeNames(): string {
    return (this.appt.attendeeNames ?? []).join(', ');
  }

  get showAttendeeNames(): boolean {
    return this.showAttendees && this.attendeeNames.length > 0;
  }

  get isGroup(): boolean {
    return (this.appt.attendeeCount ?? 0) > 1;
  }

  get attendeeCountLabel(): string {
    return `Group appointment, ${this.appt.attendeeCount ?? 0} attendees`;
  }

  get showClientAttendeeStatus(): boolean {
    return (
      this.showClientStatus &&
      Boolean(this.appt.attendeeStatus) &&
      (this.isGroup || this.appt.attendeeStatus !== this.appt.status)
    );
  }

  get openAssistiveText(): string {
    return ` appointment ${this.appt.code ?? this.appt.coconutId ?? ''} (opens in a new tab)`;
  }
}
