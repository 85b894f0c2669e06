import { LightningElement, api, wire } from 'lwc';
import describeRecord from '@salesforce/apex/WidgetController.describeRecord';
import { shout } from 'c/badgeFormat';

export default class AccountBadge extends LightningElement {
    @api recordId;
    @api objectApiName;
    @api flexipageRegionWidth;
    @api heading = 'Badge';
    @api size = 1;

    @wire(describeRecord, { recordId: '$recordId' })
    described;

    get text() {
        return this.described && this.described.data ? shout(this.described.data) : '';
    }
}
