/**
 * @description One line: every Coconut_Attendee__c change goes to CoconutAttendeeTriggerHandler.
 */
trigger CoconutAttendeeTrigger on Coconut_Attendee__c(after insert, after update, after delete, after undelete) {
    new CoconutAttendeeTriggerHandler().run();
}
