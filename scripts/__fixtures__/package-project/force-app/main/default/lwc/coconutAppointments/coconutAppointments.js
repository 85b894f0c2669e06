import { LightningElement, api } from 'lwc';
export default class CoconutAppointments extends LightningElement {
    @api recordId;
    @api pageSize;
}
