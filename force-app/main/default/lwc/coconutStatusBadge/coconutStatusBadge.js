import { LightningElement, api } from 'lwc';
import { statusInfo } from 'c/coconutFormat';
/**
 * A status as an SLDS badge (confirmed, arrived, in progress, completed, cancelled, no-show,
 * unknown with Coconut's raw value), with the cancellation reason beside it.
 */
export default class CoconutStatusBadge extends LightningElement {
    /** Normalized status (Status__c). */
    @api
    status;
    /** Status exactly as Coconut sent it, shown for unknown statuses. */
    @api
    statusRaw;
    /** Reason shown after a cancellation. */
    @api
    cancelReason;
    /** Prefix read by screen readers, e.g. "Client status". */
    @api
    context;
    get info() {
        return statusInfo(this.status, this.statusRaw);
    }
    get badgeClass() {
        return ['coconut-status', this.info.badgeClass].filter((part) => part.length > 0).join(' ');
    }
    get assistiveText() {
        return `${this.context ?? 'Status'}:`;
    }
    get showReason() {
        return (this.status === 'Cancelled' &&
            typeof this.cancelReason === 'string' &&
            this.cancelReason.trim().length > 0);
    }
}
