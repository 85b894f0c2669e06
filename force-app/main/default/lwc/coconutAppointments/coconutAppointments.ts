import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getAppointments from '@salesforce/apex/CoconutAppointmentsController.getAppointments';
import getBookingContext from '@salesforce/apex/CoconutAppointmentsController.getBookingContext';
import { reduceErrors } from 'c/coconutErrors';

/** App Builder "Tabs" values (see the js-meta.xml datasource). */
export const TABS_BOTH = 'Upcoming and Past';
export const TABS_UPCOMING = 'Upcoming only';
export const TABS_PAST = 'Past only';

export const DEFAULT_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 50;

type Tab = CoconutApex.Tab;

/**
 * A client's Coconut appointments on a Lead, Contact, Account (incl. Person Account) or
 * Opportunity record page: Upcoming and Past tabs with counts, paging, refresh, and a
 * "Book appointment" link pre-filled with the client.
 *
 * The first page of the active tab is wired (cached, refreshable); "Load more" calls the same
 * Apex method imperatively with an offset and appends.
 */
export default class CoconutAppointments extends LightningElement {
  /** Set by the record page. */
  @api recordId?: string;
  /** Set by the record page. */
  @api objectApiName?: string;
  /** Set by Lightning App Builder: SMALL (sidebar), MEDIUM or LARGE. */
  @api flexipageRegionWidth?: string;

  /** App Builder: card title. */
  @api cardTitle = 'Coconut Appointments';
  /** App Builder: appointments per page (1–50). */
  @api pageSize: number = DEFAULT_PAGE_SIZE;
  /** App Builder: "Upcoming and Past", "Upcoming only" or "Past only". */
  @api tabs: string = TABS_BOTH;
  /** App Builder: show the "Book appointment" button (the js-meta.xml default is true). */
  @api showBookButton = false;

  activeTab: Tab = 'upcoming';
  records: CoconutApex.AppointmentView[] = [];
  upcomingCount = 0;
  pastCount = 0;
  total = 0;
  hasMore = false;
  loading = true;
  loadingMore = false;
  errors: string[] = [];
  loadMoreErrors: string[] = [];
  booking?: CoconutApex.BookingContext;

  private wiredPage?: CoconutApex.Wired<CoconutApex.AppointmentPage>;

  override connectedCallback(): void {
    this.activeTab = this.tabs === TABS_PAST ? 'past' : 'upcoming';
  }

  get effectivePageSize(): number {
    const size = Math.floor(Number(this.pageSize));
    if (!Number.isFinite(size) || size < 1) {
      return DEFAULT_PAGE_SIZE;
    }
    return Math.min(size, MAX_PAGE_SIZE);
  }

  /** The wire only runs once the record id is known. */
  get bookingRecordId(): string | undefined {
    return this.showBookButton ? this.recordId : undefined;
  }

  @wire(getAppointments, {
    recordId: '$recordId',
    tab: '$activeTab',
    pageSize: '$effectivePageSize',
    offset: 0
  })
  wiredAppointments(value: CoconutApex.Wired<CoconutApex.AppointmentPage>): void {
    this.wiredPage = value;
    const { data, error } = value;
    if (data) {
      this.applyPage(data, false);
      this.errors = [];
      this.loading = false;
    } else if (error) {
      this.records = [];
      this.hasMore = false;
      this.errors = reduceErrors(error);
      this.loading = false;
    }
  }

  @wire(getBookingContext, { recordId: '$bookingRecordId' })
  wiredBooking({ data, error }: CoconutApex.Wired<CoconutApex.BookingContext>): void {
    if (data) {
      this.booking = data;
    } else if (error) {
      this.booking = undefined;
    }
  }

  private applyPage(page: CoconutApex.AppointmentPage, append: boolean): void {
    this.records = append ? [...this.records, ...page.records] : [...page.records];
    this.upcomingCount = page.upcomingCount;
    this.pastCount = page.pastCount;
    this.total = page.total;
    this.hasMore = page.hasMore;
    this.loadMoreErrors = [];
  }

  get isCompact(): boolean {
    return this.flexipageRegionWidth === 'SMALL';
  }

  get showTabs(): boolean {
    return this.tabs !== TABS_UPCOMING && this.tabs !== TABS_PAST;
  }

  get isUpcoming(): boolean {
    return this.activeTab === 'upcoming';
  }

  get isPast(): boolean {
    return this.activeTab === 'past';
  }

  get upcomingLabel(): string {
    return `Upcoming (${this.upcomingCount})`;
  }

  get pastLabel(): string {
    return `Past (${this.pastCount})`;
  }

  get singleHeading(): string {
    return this.isUpcoming ? this.upcomingLabel : this.pastLabel;
  }

  get listLabel(): string {
    return this.isUpcoming ? 'Upcoming appointments' : 'Past appointments';
  }

  get emptyMessage(): string {
    return this.isUpcoming ? 'No upcoming appointments.' : 'No past appointments.';
  }

  get summary(): string | undefined {
    return this.total > 0 ? `Showing ${this.records.length} of ${this.total}` : undefined;
  }

  get cardClass(): string {
    return this.isCompact
      ? 'coconut-appointments coconut-appointments_narrow'
      : 'coconut-appointments';
  }

  get showBook(): boolean {
    return this.showBookButton && Boolean(this.booking);
  }

  get bookingUrl(): string | undefined {
    return this.booking?.bookingUrl || undefined;
  }

  get bookAssistiveText(): string {
    const name = this.booking?.clientName;
    return name
      ? ` for ${name} in Coconut (opens in a new tab)`
      : ' in Coconut (opens in a new tab)';
  }

  handleTabActive(event: Event): void {
    const tab = (event.target as HTMLElement & { value?: string }).value;
    if ((tab === 'upcoming' || tab === 'past') && tab !== this.activeTab) {
      this.activeTab = tab;
      this.resetForNewQuery();
    }
  }

  private resetForNewQuery(): void {
    this.loading = true;
    this.records = [];
    this.errors = [];
    this.loadMoreErrors = [];
    this.hasMore = false;
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

  async handleLoadMore(): Promise<void> {
    if (!this.recordId || this.loadingMore) {
      return;
    }
    // A page that arrives after the user switched tabs belongs to the other tab: drop it.
    const tab = this.activeTab;
    this.loadingMore = true;
    this.loadMoreErrors = [];
    try {
      const page = await getAppointments({
        recordId: this.recordId,
        tab,
        pageSize: this.effectivePageSize,
        offset: this.records.length
      });
      if (tab === this.activeTab) {
        this.applyPage(page, true);
      }
    } catch (error) {
      if (tab === this.activeTab) {
        this.loadMoreErrors = reduceErrors(error);
      }
    } finally {
      this.loadingMore = false;
    }
  }
}
