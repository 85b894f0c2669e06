import { LightningElement, api } from 'lwc';
import { statusInfo, type StatusInfo } from 'c/coconutFormat';

/**
 * A status as an SLDS badge (confirmed, arrived, in progress, completed, cancelled, no-show,
 * unknown with Coconut's raw value), with the cancellation reason beside it.
 */
export default class CoconutStatusBadge extends LightningElement {
  /** Normalized status (Status__c). */
  @api status?: string;
  /** Status exactly as Coconut sent it, shown for unknown statuses. */
  @api statusRaw?: string;
  /** Reason shown after a cancellation. */
  @api cancelReason?: string;
  /** Prefix read by screen readers, e.g. "Client status". */
  @api context?: string;

  get info(): StatusInfo {
    return statusInfo(this.status, this.statusRaw);
  }

  get badgeClass(): string {
    return ['coconut-status', this.info.badgeClass].filter((part) => part.length > 0).join(' ');
  }

  get assistiveText(): string {
    return `${this.context ?? 'Status'}:`;
  }

  get showReason(): boolean {
    return (
      this.status === 'Cancelled' &&
      typeof this.cancelReason === 'string' &&
      this.cancelReason.trim().length > 0
    );
  }
}
