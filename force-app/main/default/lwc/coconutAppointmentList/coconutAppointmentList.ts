import { LightningElement, api } from 'lwc';

/**
 * The body of an appointment list: loading, error (with Retry), empty, the appointments, and
 * "Load more". Presentational: it raises `loadmore` and `retry`; the container fetches.
 */
export default class CoconutAppointmentList extends LightningElement {
  @api appointments: CoconutApex.AppointmentView[] = [];
  /** Accessible name of the list, e.g. "Upcoming appointments". */
  @api listLabel = 'Appointments';
  @api emptyMessage = 'No appointments.';
  @api loading = false;
  @api loadingMore = false;
  @api hasMore = false;
  /** Readable error lines (from reduceErrors); shown instead of the list. */
  @api errors: string[] = [];
  /** Readable error lines of a failed "Load more"; shown above the button. */
  @api loadMoreErrors: string[] = [];
  @api showClientStatus = false;
  @api showAttendees = false;
  @api compact = false;
  /** Shown under the list, e.g. "Showing 5 of 12". */
  @api summary?: string;

  get busy(): string {
    return this.loading ? 'true' : 'false';
  }

  get hasErrors(): boolean {
    return (this.errors ?? []).length > 0;
  }

  get hasLoadMoreErrors(): boolean {
    return (this.loadMoreErrors ?? []).length > 0;
  }

  get hasAppointments(): boolean {
    return (this.appointments ?? []).length > 0;
  }

  get showEmpty(): boolean {
    return !this.loading && !this.hasErrors && !this.hasAppointments;
  }

  get showList(): boolean {
    return !this.hasErrors && this.hasAppointments;
  }

  get showLoadMore(): boolean {
    return this.showList && this.hasMore;
  }

  get loadMoreLabel(): string {
    return this.loadingMore ? 'Loading…' : 'Load more';
  }

  handleLoadMore(): void {
    this.dispatchEvent(new CustomEvent('loadmore'));
  }

  handleRetry(): void {
    this.dispatchEvent(new CustomEvent('retry'));
  }
}
