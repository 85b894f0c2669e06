import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getMyAppointments from '@salesforce/apex/CoconutAppointmentsController.getMyAppointments';
import { reduceErrors } from 'c/coconutErrors';
/** App Builder "Show first" values (see the js-meta.xml datasource). */
export const RANGE_TODAY_LABEL = 'Today';
export const RANGE_WEEK_LABEL = 'This week';
/**
 * The running user's own Coconut appointments (as staff) today and this week, for the Home page
 * and app pages.
 */
export default class CoconutMyAppointments extends LightningElement {
    /** App Builder: card title. */
    @api
    cardTitle = 'My Coconut Appointments';
    /** App Builder: which tab opens first, "Today" or "This week". */
    @api
    defaultRange = RANGE_TODAY_LABEL;
    /** Set by Lightning App Builder: SMALL (sidebar), MEDIUM or LARGE. */
    @api
    flexipageRegionWidth;
    range = 'today';
    records = [];
    total = 0;
    hasMore = false;
    loading = true;
    errors = [];
    wiredPage;
    connectedCallback() {
        this.range = this.defaultRange === RANGE_WEEK_LABEL ? 'week' : 'today';
    }
    @wire(getMyAppointments, { range: '$range' })
    wiredAppointments(value) {
        this.wiredPage = value;
        const { data, error } = value;
        if (data) {
            this.records = [...data.records];
            this.total = data.total;
            this.hasMore = data.hasMore;
            this.errors = [];
            this.loading = false;
        }
        else if (error) {
            this.records = [];
            this.total = 0;
            this.hasMore = false;
            this.errors = reduceErrors(error);
            this.loading = false;
        }
    }
    get isCompact() {
        return this.flexipageRegionWidth === 'SMALL';
    }
    get isToday() {
        return this.range === 'today';
    }
    get isWeek() {
        return this.range === 'week';
    }
    get listLabel() {
        return this.isToday ? 'My appointments today' : 'My appointments this week';
    }
    get emptyMessage() {
        return this.isToday ? 'No appointments today.' : 'No appointments this week.';
    }
    get summary() {
        if (this.total === 0) {
            return undefined;
        }
        return this.hasMore
            ? `Showing the first ${this.records.length} of ${this.total}. Open Coconut for the full calendar.`
            : `${this.total} ${this.total === 1 ? 'appointment' : 'appointments'}`;
    }
    handleTabActive(event) {
        const range = event.target.value;
        if ((range === 'today' || range === 'week') && range !== this.range) {
            this.range = range;
            this.loading = true;
            this.records = [];
            this.errors = [];
        }
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
}
