/**
 * @description One line: every Coconut_Appointment__c change goes to CoconutAppointmentTriggerHandler.
 */
trigger CoconutAppointmentTrigger on Coconut_Appointment__c(after insert, after update) {
    new CoconutAppointmentTriggerHandler().run();
}
