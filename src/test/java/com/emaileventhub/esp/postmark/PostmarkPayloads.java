package com.emaileventhub.esp.postmark;

/** Webhook bodies shaped like Postmark's documented examples (postmarkapp.com/developer/webhooks). */
public final class PostmarkPayloads {
    public static final String DELIVERY = """
            {"RecordType":"Delivery","ServerID":23,"MessageStream":"outbound",\
            "MessageID":"00000000-0000-0000-0000-000000000000","Recipient":"John@Example.com","Tag":"welcome-email",\
            "DeliveredAt":"2021-02-21T16:34:52Z","Details":"Test delivery webhook details",\
            "Metadata":{"a_key":"a_value","b_key":"b_value"}}""";
    public static final String BOUNCE = """
            {"RecordType":"Bounce","MessageStream":"outbound","ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,\
            "Name":"Hard bounce","Tag":"Test","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483",\
            "Metadata":{"a_key":"a_value","b_key":"b_value"},"ServerID":23,\
            "Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).",\
            "Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist.",\
            "Email":"john@example.com","From":"sender@example.com","BouncedAt":"2019-11-05T16:33:54.9070259Z",\
            "DumpAvailable":true,"Inactive":true,"CanActivate":true,"Subject":"Test subject","Content":"<Full dump of bounce>"}""";
    public static final String SPAM_COMPLAINT = """
            {"RecordType":"SpamComplaint","MessageStream":"outbound","ID":42,"Type":"SpamComplaint","TypeCode":100001,\
            "Name":"Spam complaint","Tag":"Test","MessageID":"00000000-0000-0000-0000-000000000000",\
            "Metadata":{"a_key":"a_value","b_key":"b_value"},"ServerID":1234,\
            "Description":"The subscriber explicitly marked this message as spam.","Details":"Test spam complaint details",\
            "Email":"john@example.com","From":"sender@example.com","BouncedAt":"2019-11-05T16:33:54.9070259Z",\
            "DumpAvailable":true,"Inactive":true,"CanActivate":false,"Subject":"Test subject","Content":"<Abuse report dump>"}""";
    public static final String OPEN = """
            {"RecordType":"Open","MessageStream":"outbound","FirstOpen":true,\
            "Client":{"Name":"Chrome 35.0.1916.153","Company":"Google","Family":"Chrome"},\
            "OS":{"Name":"OS X 10.7 Lion","Company":"Apple Computer, Inc.","Family":"OS X 10"},"Platform":"WebMail",\
            "UserAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36",\
            "ReadSeconds":5,"Geo":{"CountryISOCode":"RS","Country":"Serbia","RegionISOCode":"VO",\
            "Region":"Autonomna Pokrajina Vojvodina","City":"Novi Sad","Zip":"21000","Coords":"45.2517,19.8369",\
            "IP":"188.2.95.4"},"MessageID":"00000000-0000-0000-0000-000000000000",\
            "Metadata":{"a_key":"a_value","b_key":"b_value"},"ReceivedAt":"2019-11-05T16:33:54.9070259Z",\
            "Tag":"welcome-email","Recipient":"john@example.com"}""";
    public static final String CLICK = """
            {"RecordType":"Click","MessageStream":"outbound","ClickLocation":"HTML",\
            "Client":{"Name":"Chrome 35.0.1916.153","Company":"Google","Family":"Chrome"},\
            "OS":{"Name":"OS X 10.7 Lion","Company":"Apple Computer, Inc.","Family":"OS X 10"},"Platform":"Desktop",\
            "UserAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36",\
            "OriginalLink":"https://example.com/Landing?id=1&ref=%E2%9C%93","Geo":{"CountryISOCode":"RS",\
            "Country":"Serbia","City":"Novi Sad","IP":"8.8.8.8"},\
            "MessageID":"00000000-0000-0000-0000-000000000000","Metadata":{"a_key":"a_value"},\
            "ReceivedAt":"2017-10-25T15:21:11.1234567-04:00","Tag":"welcome-email","Recipient":"john@example.com"}""";
    static final String SUBSCRIPTION_CHANGE = """
            {"RecordType":"SubscriptionChange","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","ServerID":123456,\
            "MessageStream":"outbound","ChangedAt":"2020-02-01T10:53:34.416071Z","Recipient":"bounced-address@wildbit.com",\
            "Origin":"Recipient","SuppressSending":true,"SuppressionReason":"ManualSuppression","Tag":"my-tag",\
            "Metadata":{"example":"value","example_2":"value"}}""";

    private PostmarkPayloads() {
    }

    /** A Bounce record of the given Type and TypeCode (either may be null to leave the field out). */
    static String bounce(String type, Integer typeCode) {
        String s = BOUNCE.replace("\"Type\":\"HardBounce\",", type == null ? "" : "\"Type\":\"" + type + "\",");
        return s.replace("\"TypeCode\":1,", typeCode == null ? "" : "\"TypeCode\":" + typeCode + ",");
    }

    static String subscriptionChange(String suppressSending, String reason) {
        return SUBSCRIPTION_CHANGE.replace("\"SuppressSending\":true", "\"SuppressSending\":" + suppressSending)
                .replace("\"ManualSuppression\"", reason == null ? "null" : "\"" + reason + "\"");
    }
}
