trigger AccountNamer on Account(before insert) {
    for (Account a : Trigger.new) {
        if (a.Description == null) {
            a.Description = 'named';
        }
    }
}
