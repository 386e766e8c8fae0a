package com.emaileventhub.esp.sendgrid;

import java.util.List;

/**
 * Event Webhook bodies shaped like the ones SendGrid posts (Twilio "Event Webhook Reference"):
 * one flat object per event, custom_args merged as top-level keys, events joined by ",\r\n"
 * and the body ending in "\r\n", all of which is signed.
 */
public final class SendGridPayloads {
    static final String MESSAGE_ID = "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0";

    static final String PROCESSED = """
            {"email":"Example@Test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"processed","category":"cat facts","sg_event_id":"rbtnWrG1DVDGGGFHFyun0A",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","order_id":"A-1001","plan":"pro"}""";
    static final String DEFERRED = """
            {"email":"example@test.com","timestamp":1513299570,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"deferred","ip":"168.1.1.1","category":"cat facts","sg_event_id":"t7LEShmowp86DTdUW8M-GQ",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","response":"400 try again later",\
            "attempt":"5","tls":1,"pool":{"name":"new_MY_test","id":210}}""";
    static final String DELIVERED = """
            {"email":"example@test.com","timestamp":1513299571,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"delivered","ip":"168.1.1.1","category":"cat facts","sg_event_id":"rWVYmVk90MjZJ9iohOBa3w",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","response":"250 OK","tls":1}""";
    static final String OPEN = """
            {"email":"example@test.com","timestamp":1513299572,"event":"open","sg_machine_open":false,\
            "category":["cat facts","newsletter"],"sg_event_id":"FOTFFO0ecsBE-zxFXfs6WA",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",\
            "useragent":"Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)",\
            "ip":"255.255.255.255"}""";
    static final String CLICK = """
            {"email":"example@test.com","timestamp":1513299573,"event":"click","category":"cat facts",\
            "sg_event_id":"kCAi1KttyQdEKHhdC-nuEA","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",\
            "useragent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",\
            "ip":"255.255.255.255","url":"https://www.example.com/path?utm_source=x&q=%2Fa%20b",\
            "url_offset":{"index":0,"type":"html"}}""";
    static final String BOUNCE = """
            {"email":"nobody@test.com","timestamp":1513299574,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"bounce","bounce_classification":"Invalid Address","category":"cat facts",\
            "sg_event_id":"6g4ZI7SA-xmRDv57GoPIPw","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",\
            "reason":"550 5.1.1 The email account that you tried to reach does not exist.","status":"5.1.1",\
            "type":"bounce","ip":"168.1.1.1","tls":0}""";
    static final String BLOCKED = """
            {"bounce_classification":"Unclassified","email":"noemail@this.does.not.exist.tld","event":"bounce",\
            "reason":"unable to get mx info: failed to get IPs from PTR record","sg_event_id":"Ym91bmNlLTQtNTA0ODUxOTUt",\
            "sg_message_id":"euo2iKxdSayPF4YE4--I7A.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0",\
            "smtp-id":"<870b3a2a-160c-4fc8-bc9a-bd0d5b943b81@forum.example.com>","timestamp":1740300320,"tls":0,\
            "type":"blocked"}""";
    static final String DROPPED = """
            {"email":"example@test.com","timestamp":1513299575,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"dropped","category":"cat facts","sg_event_id":"zmzJhfJgAfUSOW80yEbPyw",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"Bounced Address",\
            "status":"5.0.0"}""";
    static final String SPAMREPORT = """
            {"email":"example@test.com","timestamp":1513299576,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"spamreport","category":"cat facts","sg_event_id":"37nvH5QBz858KGVYCM4uOA",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}""";
    static final String UNSUBSCRIBE = """
            {"email":"example@test.com","timestamp":1513299577,"event":"unsubscribe","category":"cat facts",\
            "sg_event_id":"zz_BjPgU_5pS-J8vlfB1sg","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}""";
    static final String GROUP_UNSUBSCRIBE = """
            {"email":"example@test.com","timestamp":1513299578,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"group_unsubscribe","category":"cat facts","sg_event_id":"ahSCB7xYcXFb-hEaawsPRw",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",\
            "useragent":"Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)",\
            "ip":"255.255.255.255","url":"http://www.sendgrid.com/","asm_group_id":10}""";
    static final String GROUP_RESUBSCRIBE = """
            {"email":"example@test.com","timestamp":1513299579,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",\
            "event":"group_resubscribe","category":"cat facts","sg_event_id":"H_PgmYJmHVaDE8pAHpgo5A",\
            "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",\
            "useragent":"Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)",\
            "ip":"255.255.255.255","url":"http://www.sendgrid.com/","asm_group_id":10}""";
    static final String ACCOUNT_STATUS_CHANGE = """
            {"event":"account_status_change","sg_event_id":"MjIwNzg5NTMtdXBkYXRlLTEtMTY4","timestamp":1513299580,\
            "type":"compliance_suspend"}""";

    public static final List<String> ALL = List.of(PROCESSED, DEFERRED, DELIVERED, OPEN, CLICK, BOUNCE, BLOCKED, DROPPED,
            SPAMREPORT, UNSUBSCRIBE, GROUP_UNSUBSCRIBE, GROUP_RESUBSCRIBE, ACCOUNT_STATUS_CHANGE);

    private SendGridPayloads() {
    }

    /** A batch as SendGrid writes it on the wire. */
    static String batch(String... events) {
        return batch(List.of(events));
    }

    public static String batch(List<String> events) {
        return "[" + String.join(",\r\n", events) + "]\r\n";
    }
}
