import { LightningElement, wire } from 'lwc';
import { NavigationMixin, CurrentPageReference } from 'lightning/navigation';
import userId from '@salesforce/user/Id';
import timeZone from '@salesforce/i18n/timeZone';
import greeting from '@salesforce/label/c.Greeting';

export default class HomeGreeting extends NavigationMixin(LightningElement) {
    text = `${greeting} ${userId} ${timeZone}`;
    listUrl;

    @wire(CurrentPageReference)
    pageRef;

    get pageName() {
        return this.pageRef ? this.pageRef.attributes.pageName : '';
    }

    connectedCallback() {
        this[NavigationMixin.GenerateUrl]({
            type: 'standard__objectPage',
            attributes: { objectApiName: 'Account', actionName: 'list' }
        }).then((url) => {
            this.listUrl = url;
        });
    }

    openAccounts() {
        this[NavigationMixin.Navigate]({
            type: 'standard__objectPage',
            attributes: { objectApiName: 'Account', actionName: 'list' }
        });
    }

    openHelp() {
        this[NavigationMixin.Navigate]({
            type: 'standard__webPage',
            attributes: { url: 'https://help.example.com/widgets?from=home' }
        });
    }
}
