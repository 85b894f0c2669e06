trigger WidgetTrigger on Widget__c(before insert) {
    new WidgetService();
}
