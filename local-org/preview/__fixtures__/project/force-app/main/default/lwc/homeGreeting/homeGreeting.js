import { LightningElement } from 'lwc';
import userId from '@salesforce/user/Id';
import timeZone from '@salesforce/i18n/timeZone';
import greeting from '@salesforce/label/c.Greeting';

export default class HomeGreeting extends LightningElement {
    text = `${greeting} ${userId} ${timeZone}`;
}
