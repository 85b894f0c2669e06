import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getMyAppointments from '@salesforce/apex/CoconutAppointmentsController.getMyAppointments';
import { reduceErrors } from 'c/coconutErrors';

/** App Builder "Show first" values (see the js-meta.xml datasource). */
export const RANGE_TODAY_LABEL = 'Today';
export const RANGE_WEEK_LABEL = 'This week';

type Range = CoconutApex.Range;

/**
 * The running user's own Coconut appointments (as staff) today and this week, for the Home page
 * and app pages.
 */
export default class CoconutMyAppointments extends LightningElement {
  /** App Builder: card title. */
  @api cardTitle = 'My Coconut Appointments';
  /** App Builder: which tab opens first, "Today" or "This week". */
  @api defaultRange: string = RANGE_TODAY_LABEL;
  /** Set by Lightning App Builder: SMALL (sidebar), MEDIUM or LARGE. */
  @api flexipageRegionWidth?: string;

  range: Range = 'today';
  records: CoconutApex.AppointmentView[] = [];
  total = 0;
  hasMore = false;
  loading = true;
  errors: string[] = [];

  private wiredPage?: CoconutApex.Wired<CoconutApex.AppointmentPage>;

  override connectedCallback(): void {
    this.range = this.defaultRange === RANGE_WEEK_LABEL ? 'week' : 'today';
  }

  @wire(getMyAppointments, { range: '$range' })
  wiredAppointments(value: CoconutApex.Wired<CoconutApex.AppointmentPage>): void {
    this.wiredPage = value;
    const { data, error } = value;
    if (data) {
      this.records = [...data.records];
      this.total = data.total;
      this.hasMore = data.hasMore;
      this.errors = [];
      this.loading = false;
    } else if (error) {
      this.records = [];
      this.total = 0;
      this.hasMore = false;
      this.errors = reduceErrors(error);
      this.loading = false;
    }
  }

  get isCompact(): boolean {
    return this.flexipageRegionWidth === 'SMALL';
  }

  get isToday(): boolean {
    return this.range === 'today';
  }

  get isWeek(): boolean {
    return this.range === 'week';
  }

  get listLabel(): string {
    return this.isToday ? 'My appointments today' : 'My appointments this week';
  }

  get emptyMessage(): string {
    return this.isToday ? 'No appointments today.' : 'No appointments this week.';
  }

  get summary(): string | undefined {
    if (this.total === 0) {
      return undefined;
    }
    return this.hasMore
      ? `Showing the first ${this.records.length} of ${this.total}. Open Coconut for the full calendar.`
      : `${this.total} ${this.total === 1 ? 'appointment' : 'appointments'}`;
  }

  handleTabActive(event: Event): void {
    const range = (event.target as HTMLElement & { value?: string }).value;
    if ((range === 'today' || range === 'week') && range !== this.range) {
      this.range = range;
      this.loading = true;
      this.records = [];
      this.errors = [];
    }
  }

  async handleRefresh(): Promise<void> {
    // Nothing to refresh until the wire has answered once (with data or an error).
    if (!this.wiredPage || (!this.wiredPage.data && !this.wiredPage.error)) {
      return;
    }
    this.loading = true;
    this.errors = [];
    try {
      await refreshApex(this.wiredPage);
    } catch (error) {
      this.errors = reduceErrors(error);
    } finally {
      this.loading = false;
    }
  }
}
