trigger BrokenTrigger on Account (before insert) {
    Integer count = ;
}
