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
    @api
    recordId;
    /** Set by the record page. */
    @api
    objectApiName;
    /** Set by Lightning App Builder: SMALL (sidebar), MEDIUM or LARGE. */
    @api
    flexipageRegionWidth;
    /** App Builder: card title. */
    @api
    cardTitle = 'Coconut Appointments';
    /** App Builder: appointments per page (1–50). */
    @api
    pageSize = DEFAULT_PAGE_SIZE;
    /** App Builder: "Upcoming and Past", "Upcoming only" or "Past only". */
    @api
    tabs = TABS_BOTH;
    /** App Builder: show the "Book appointment" button (the js-meta.xml default is true). */
    @api
    showBookButton = false;
    activeTab = 'upcoming';
    records = [];
    upcomingCount = 0;
    pastCount = 0;
    total = 0;
    hasMore = false;
    loading = true;
    loadingMore = false;
    errors = [];
    loadMoreErrors = [];
    booking;
    wiredPage;
    connectedCallback() {
        this.activeTab = this.tabs === TABS_PAST ? 'past' : 'upcoming';
    }
    get effectivePageSize() {
        const size = Math.floor(Number(this.pageSize));
        if (!Number.isFinite(size) || size < 1) {
            return DEFAULT_PAGE_SIZE;
        }
        return Math.min(size, MAX_PAGE_SIZE);
    }
    /** The wire only runs once the record id is known. */
    get bookingRecordId() {
        return this.showBookButton ? this.recordId : undefined;
    }
    @wire(getAppointments, {
        recordId: '$recordId',
        tab: '$activeTab',
        pageSize: '$effectivePageSize',
        offset: 0
    })
    wiredAppointments(value) {
        this.wiredPage = value;
        const { data, error } = value;
        if (data) {
            this.applyPage(data, false);
            this.errors = [];
            this.loading = false;
        }
        else if (error) {
            this.records = [];
            this.hasMore = false;
            this.errors = reduceErrors(error);
            this.loading = false;
        }
    }
    @wire(getBookingContext, { recordId: '$bookingRecordId' })
    wiredBooking({ data, error }) {
        if (data) {
            this.booking = data;
        }
        else if (error) {
            this.booking = undefined;
        }
    }
    applyPage(page, append) {
        this.records = append ? [...this.records, ...page.records] : [...page.records];
        this.upcomingCount = page.upcomingCount;
        this.pastCount = page.pastCount;
        this.total = page.total;
        this.hasMore = page.hasMore;
        this.loadMoreErrors = [];
    }
    get isCompact() {
        return this.flexipageRegionWidth === 'SMALL';
    }
    get showTabs() {
        return this.tabs !== TABS_UPCOMING && this.tabs !== TABS_PAST;
    }
    get isUpcoming() {
        return this.activeTab === 'upcoming';
    }
    get isPast() {
        return this.activeTab === 'past';
    }
    get upcomingLabel() {
        return `Upcoming (${this.upcomingCount})`;
    }
    get pastLabel() {
        return `Past (${this.pastCount})`;
    }
    get singleHeading() {
        return this.isUpcoming ? this.upcomingLabel : this.pastLabel;
    }
    get listLabel() {
        return this.isUpcoming ? 'Upcoming appointments' : 'Past appointments';
    }
    get emptyMessage() {
        return this.isUpcoming ? 'No upcoming appointments.' : 'No past appointments.';
    }
    get summary() {
        return this.total > 0 ? `Showing ${this.records.length} of ${this.total}` : undefined;
    }
    get cardClass() {
        return this.isCompact
            ? 'coconut-appointments coconut-appointments_narrow'
            : 'coconut-appointments';
    }
    get showBook() {
        return this.showBookButton && Boolean(this.booking);
    }
    get bookingUrl() {
        return this.booking?.bookingUrl || undefined;
    }
    get bookAssistiveText() {
        const name = this.booking?.clientName;
        return name
            ? ` for ${name} in Coconut (opens in a new tab)`
            : ' in Coconut (opens in a new tab)';
    }
    handleTabActive(event) {
        const tab = event.target.value;
        if ((tab === 'upcoming' || tab === 'past') && tab !== this.activeTab) {
            this.activeTab = tab;
            this.resetForNewQuery();
        }
    }
    resetForNewQuery() {
        this.loading = true;
        this.records = [];
        this.errors = [];
        this.loadMoreErrors = [];
        this.hasMore = false;
    }
    async handleRefresh() {
        // Nothing to refresh until the wire has answered once (with data or an error).
        if (!this.wiredPage || (!this.wiredPage.data && !this.wiredPage.error)) {
            return;
        }
        this.loading = true;
        this.errors = [];
        try {
            await refreshApex(this.wiredPage);
        }
        catch (error) {
            this.errors = reduceErrors(error);
        }
        finally {
            this.loading = false;
        }
    }
    async handleLoadMore() {
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
        }
        catch (error) {
            if (tab === this.activeTab) {
                this.loadMoreErrors = reduceErrors(error);
            }
        }
        finally {
            this.loadingMore = false;
        }
    }
}
