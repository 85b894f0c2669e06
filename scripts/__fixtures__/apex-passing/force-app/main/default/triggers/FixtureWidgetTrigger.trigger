trigger FixtureWidgetTrigger on Fixture_Widget__c(before insert, before update) {
    new FixtureWidgetTriggerHandler().beforeSave(Trigger.new);
}
