import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, getFieldDisplayValue } from 'lightning/uiRecordApi';
import NAME from '@salesforce/schema/Account.Name';
import RATING from '@salesforce/schema/Account.Rating';

export default class RecordName extends LightningElement {
    @api recordId;

    @wire(getRecord, { recordId: '$recordId', fields: [NAME], optionalFields: [RATING, 'Account.Owner.Name'] })
    record;

    get name() {
        return this.record && this.record.data ? getFieldValue(this.record.data, NAME) : '';
    }

    get owner() {
        return this.record && this.record.data ? getFieldDisplayValue(this.record.data, 'Account.Owner') : '';
    }
}
