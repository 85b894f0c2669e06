trigger ConfLeadTrigger on Lead(before insert, after insert, before update, after update, before delete, after delete) {
    String phase = Trigger.isBefore ? 'before' : 'after';
    if (Trigger.isInsert) {
        Lead first = Trigger.new[0];
        System.debug(
            phase +
                ' insert ' +
                Trigger.size +
                ' id=' +
                (Trigger.isBefore ? String.valueOf(first.Id) : String.valueOf(first.Id != null))
        );
        if (first.LastName == 'OpType') {
            System.debug(Trigger.operationType);
        }
        if (Trigger.isBefore) {
            for (Lead l : Trigger.new) {
                if (l.LastName == 'Changed') {
                    l.Description = 'set by before trigger';
                }
                if (l.LastName == 'Explode') {
                    Integer zero = 0;
                    Integer boom = 1 / zero;
                }
                if (l.LastName == 'Reject') {
                    l.addError('Reject is not allowed');
                }
            }
        } else if (first.LastName == 'ReadOnly') {
            first.Description = 'too late';
        }
    } else if (Trigger.isUpdate) {
        System.debug(phase + ' update ' + Trigger.old[0].LastName + '->' + Trigger.new[0].LastName);
    } else if (Trigger.isDelete) {
        System.debug(phase + ' delete old=' + Trigger.old.size() + ' new=' + (Trigger.new == null ? 'null' : 'list'));
    }
}
