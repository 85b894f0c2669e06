import { LightningElement, api } from 'lwc';
/**
 * The body of an appointment list: loading, error (with Retry), empty, the appointments, and
 * "Load more". Presentational: it raises `loadmore` and `retry`; the container fetches.
 */
export default class CoconutAppointmentList extends LightningElement {
    @api
    appointments = [];
    /** Accessible name of the list, e.g. "Upcoming appointments". */
    @api
    listLabel = 'Appointments';
    @api
    emptyMessage = 'No appointments.';
    @api
    loading = false;
    @api
    loadingMore = false;
    @api
    hasMore = false;
    /** Readable error lines (from reduceErrors); shown instead of the list. */
    @api
    errors = [];
    /** Readable error lines of a failed "Load more"; shown above the button. */
    @api
    loadMoreErrors = [];
    @api
    showClientStatus = false;
    @api
    showAttendees = false;
    @api
    compact = false;
    /** Shown under the list, e.g. "Showing 5 of 12". */
    @api
    summary;
    get busy() {
        return this.loading ? 'true' : 'false';
    }
    get hasErrors() {
        return (this.errors ?? []).length > 0;
    }
    get hasLoadMoreErrors() {
        return (this.loadMoreErrors ?? []).length > 0;
    }
    get hasAppointments() {
        return (this.appointments ?? []).length > 0;
    }
    get showEmpty() {
        return !this.loading && !this.hasErrors && !this.hasAppointments;
    }
    get showList() {
        return !this.hasErrors && this.hasAppointments;
    }
    get showLoadMore() {
        return this.showList && this.hasMore;
    }
    get loadMoreLabel() {
        return this.loadingMore ? 'Loading…' : 'Load more';
    }
    handleLoadMore() {
        this.dispatchEvent(new CustomEvent('loadmore'));
    }
    handleRetry() {
        this.dispatchEvent(new CustomEvent('retry'));
    }
}
