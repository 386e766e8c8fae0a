package com.emaileventhub.esp.mailgun;

import com.emaileventhub.verify.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code event-data} objects shaped like Mailgun's documented webhook payloads, and signed bodies around them. */
public final class MailgunPayloads {
    static final String MESSAGE_ID = "20130503182626.18666.16540@sandboxf3a2.mailgun.org";

    static final String ACCEPTED = """
            {"event":"accepted","id":"ncV2XwymRUKbPek_MIM-Gw","timestamp":1521472262.908181,"log-level":"info",\
            "method":"http","envelope":{"targets":"alice@example.com","transport":"smtp","sender":"bob@sandboxf3a2.mailgun.org"},\
            "flags":{"is-authenticated":true,"is-test-mode":false},"delivery-status":null,\
            "message":{"headers":{"to":"Alice <alice@example.com>","message-id":"20130503182626.18666.16540@sandboxf3a2.mailgun.org",\
            "from":"Bob <bob@sandboxf3a2.mailgun.org>","subject":"Test accepted webhook"},"attachments":[],"size":111},\
            "recipient":"alice@example.com","recipient-domain":"example.com","storage":{"url":"https://se.api.mailgun.net/v3/domains/sandboxf3a2.mailgun.org/messages/message_key","key":"message_key"},\
            "campaigns":[],"tags":["my_tag_1","my_tag_2"],"user-variables":{"my_var_1":"Mailgun Variable #1","my-var-2":"awesome"}}""";
    public static final String DELIVERED = """
            {"tags":["my_tag_1","my_tag_2"],"timestamp":1521472262.908181,\
            "storage":{"url":"https://se.api.mailgun.net/v3/domains/sandboxf3a2.mailgun.org/messages/message_key","key":"message_key"},\
            "envelope":{"transport":"smtp","sender":"bob@sandboxf3a2.mailgun.org","sending-ip":"209.61.154.250","targets":"alice@example.com"},\
            "recipient-domain":"example.com","id":"CPgfbmQMTCKtHW6uIWtuVe","campaigns":[],\
            "user-variables":{"my_var_1":"Mailgun Variable #1","my-var-2":"awesome"},\
            "flags":{"is-routed":false,"is-authenticated":true,"is-system-test":false,"is-test-mode":false},"log-level":"info",\
            "message":{"headers":{"to":"Alice <alice@example.com>","message-id":"20130503182626.18666.16540@sandboxf3a2.mailgun.org",\
            "from":"Bob <bob@sandboxf3a2.mailgun.org>","subject":"Test delivered webhook"},"attachments":[],"size":111},\
            "recipient":"alice@example.com","event":"delivered",\
            "delivery-status":{"tls":true,"mx-host":"smtp-in.example.com","attempt-no":1,"description":"","session-seconds":0.4331989288330078,\
            "utf8":true,"code":250,"message":"OK","certificate-verified":true}}""";
    static final String FAILED_PERMANENT = """
            {"severity":"permanent","tags":["my_tag_1","my_tag_2"],"timestamp":1521233195.375624,\
            "storage":{"url":"https://se.api.mailgun.net/v3/domains/sandboxf3a2.mailgun.org/messages/message_key","key":"message_key"},\
            "log-level":"error","id":"G9Bn5sl1TC6nu79C8C0bwg","campaigns":[],"reason":"suppress-bounce",\
            "user-variables":{"my_var_1":"Mailgun Variable #1","my-var-2":"awesome"},\
            "flags":{"is-routed":false,"is-authenticated":true,"is-system-test":false,"is-test-mode":false},\
            "recipient-domain":"example.com","envelope":{"sender":"bob@sandboxf3a2.mailgun.org","transport":"smtp","targets":"alice@example.com"},\
            "message":{"headers":{"to":"Alice <alice@example.com>","message-id":"20130503192659.13651.20287@sandboxf3a2.mailgun.org",\
            "from":"Bob <bob@sandboxf3a2.mailgun.org>","subject":"Test permanent_fail webhook"},"attachments":[],"size":111},\
            "recipient":"alice@example.com","event":"failed",\
            "delivery-status":{"attempt-no":1,"message":"","code":605,"description":"Not delivering to previously bounced address",\
            "session-seconds":0.0}}""";
    static final String FAILED_PERMANENT_SMTP = """
            {"severity":"permanent","timestamp":1521233195.375624,"id":"Fs7-5t81S2ug1-XdZ4tiOw","reason":"bounce","log-level":"error",\
            "message":{"headers":{"to":"gone@example.com","message-id":"20240304120000.1.abc@mg.example.com","from":"x@mg.example.com",\
            "subject":"Hi"},"attachments":[],"size":120},"recipient":"gone@example.com","event":"failed",\
            "delivery-status":{"attempt-no":1,"message":"5.1.1 The email account that you tried to reach does not exist.",\
            "code":550,"description":"","mx-host":"gmail-smtp-in.l.google.com","session-seconds":1.2}}""";
    static final String FAILED_TEMPORARY = """
            {"severity":"temporary","tags":["my_tag_1","my_tag_2"],"timestamp":1521472262.908181,\
            "storage":{"url":"https://se.api.mailgun.net/v3/domains/sandboxf3a2.mailgun.org/messages/message_key","key":"message_key"},\
            "log-level":"warn","id":"Fs7-5t81S2ug1-XdZ4tiOw","campaigns":[],"reason":"generic",\
            "user-variables":{"my_var_1":"Mailgun Variable #1","my-var-2":"awesome"},\
            "flags":{"is-routed":false,"is-authenticated":true,"is-system-test":false,"is-test-mode":false},\
            "recipient-domain":"example.com","envelope":{"sender":"bob@sandboxf3a2.mailgun.org","transport":"smtp","targets":"alice@example.com"},\
            "message":{"headers":{"to":"Alice <alice@example.com>","message-id":"20130503192659.13651.20287@sandboxf3a2.mailgun.org",\
            "from":"Bob <bob@sandboxf3a2.mailgun.org>","subject":"Test temporary_fail webhook"},"attachments":[],"size":111},\
            "recipient":"alice@example.com","event":"failed",\
            "delivery-status":{"attempt-no":1,"message":"4.2.2 The email account that you tried to reach is over quota.",\
            "code":452,"description":"","retry-seconds":600,"session-seconds":0.1,"mx-host":"smtp-in.example.com"}}""";
    static final String REJECTED = """
            {"event":"rejected","id":"Zfd1g0OvQMWwVmlE1X0qMQ","timestamp":1529692199.626182,"log-level":"warn",\
            "flags":{"is-test-mode":false},"reject":{"reason":"Sandbox subdomains are for test purposes only. Please add your own domain or add the address to authorized recipients in Account Settings.","description":""},\
            "message":{"headers":{"to":"\\"Smith, Jane\\" <Jane.Smith@Example.com>, other@example.com",\
            "message-id":"20180622182958.1.48906CB188F1A454@sandbox55887fac92de874df5ae0023b75fd62f.mailgun.org",\
            "from":"test@sandbox55887fac92de874df5ae0023b75fd62f.mailgun.org","subject":"Testing"},"attachments":[],"size":300},\
            "tags":[],"user-variables":{}}""";
    static final String OPENED = """
            {"tags":["my_tag_1","my_tag_2"],"timestamp":1521243339.873676,"ip":"50.56.129.169",\
            "geolocation":{"country":"US","region":"CA","city":"San Francisco"},"log-level":"info","id":"Ase7i2zsRYeDXztHGENqRA",\
            "campaigns":[],"user-variables":{"my_var_1":"Mailgun Variable #1","my-var-2":"awesome"},\
            "client-info":{"client-os":"Linux","device-type":"desktop","client-name":"Chrome","client-type":"browser",\
            "user-agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.31 (KHTML, like Gecko) Chrome/26.0.1410.43 Safari/537.31"},\
            "message":{"headers":{"message-id":"20130503182626.18666.16540@sandboxf3a2.mailgun.org"}},\
            "recipient":"alice@example.com","event":"opened"}""";
    static final String CLICKED = """
            {"tags":["my_tag_1","my_tag_2"],"timestamp":1521243339.873676,"ip":"50.56.129.169",\
            "geolocation":{"country":"US","region":"CA","city":"San Francisco"},"log-level":"info","id":"Ase7i2zsRYeDXztHGENqRA-click",\
            "campaigns":[],"user-variables":{"my_var_1":"Mailgun Variable #1","my-var-2":"awesome"},\
            "client-info":{"client-os":"Linux","device-type":"desktop","client-name":"Chrome","client-type":"browser",\
            "user-agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.31 (KHTML, like Gecko) Chrome/26.0.1410.43 Safari/537.31"},\
            "message":{"headers":{"message-id":"20130503182626.18666.16540@sandboxf3a2.mailgun.org"}},\
            "recipient":"alice@example.com","event":"clicked","url":"https://example.com/Promo?a=1&b=%7Ex"}""";
    static final String UNSUBSCRIBED = """
            {"tags":["my_tag_1","my_tag_2"],"timestamp":1521243339.873676,"ip":"50.56.129.169","log-level":"info",\
            "id":"Ase7i2zsRYeDXztHGENqRA-unsub","campaigns":[],"user-variables":{"my_var_1":"Mailgun Variable #1"},\
            "client-info":{"client-os":"Linux","device-type":"desktop","client-name":"Chrome","client-type":"browser",\
            "user-agent":"Mozilla/5.0 (X11; Linux x86_64)"},\
            "message":{"headers":{"message-id":"20130503182626.18666.16540@sandboxf3a2.mailgun.org"}},\
            "recipient":"alice@example.com","event":"unsubscribed"}""";
    static final String COMPLAINED = """
            {"id":"-Agny091SquKnsrW2NEKUA","timestamp":1521233123.501324,"log-level":"warn","event":"complained",\
            "envelope":{"sending-ip":"173.193.210.33"},"flags":{"is-test-mode":false},\
            "message":{"headers":{"to":"Alice <alice@example.com>","message-id":"20110215055645.25246.63817@sandboxf3a2.mailgun.org",\
            "from":"Bob <bob@sandboxf3a2.mailgun.org>","subject":"Test complained webhook"},"attachments":[],"size":111},\
            "recipient":"alice@example.com","campaigns":[],"user-variables":{"my_var_1":"Mailgun Variable #1"}}""";
    static final String STORED = """
            {"event":"stored","id":"czsjqFATSlC3QtAK-C80nw","timestamp":1529692199.626182,"log-level":"info",\
            "message":{"headers":{"message-id":"x@y"}},"storage":{"key":"k","url":"https://se.api.mailgun.net/k"}}""";

    public static final List<String> ALL = List.of(ACCEPTED, DELIVERED, FAILED_PERMANENT, FAILED_TEMPORARY, REJECTED,
            OPENED, CLICKED, UNSUBSCRIBED, COMPLAINED, STORED);

    static final String KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    static final String TOKEN = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";

    private MailgunPayloads() {
    }

    /** The body Mailgun posts: a signature block and the event. */
    public static String body(String eventData, String key, String timestamp, String token) {
        return signedBody(eventData, timestamp, token, sign(key, timestamp, token));
    }

    static String signedBody(String eventData, String timestamp, String token, String signature) {
        return "{\"signature\":{\"timestamp\":\"" + timestamp + "\",\"token\":\"" + token + "\",\"signature\":\""
                + signature + "\"},\"event-data\":" + eventData + "}";
    }

    static String sign(String key, String timestamp, String token) {
        return Hmac.encode(Hmac.compute(Hmac.Algorithm.SHA256, key.getBytes(StandardCharsets.UTF_8),
                (timestamp + token).getBytes(StandardCharsets.UTF_8)), Hmac.Encoding.HEX);
    }
}
