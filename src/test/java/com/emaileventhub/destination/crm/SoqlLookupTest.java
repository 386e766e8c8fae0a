package com.emaileventhub.destination.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoqlLookupTest {

    @Test
    void quotes_and_backslashes_in_an_address_cannot_break_out_of_the_literal() {
        assertThat(SoqlLookup.quote("o'neil@example.com")).isEqualTo("'o\\'neil@example.com'");
        assertThat(SoqlLookup.quote("a\\' OR Id != null --@x.com")).isEqualTo("'a\\\\\\' OR Id != null --@x.com'");
    }

    @Test
    void builds_one_in_list_with_the_object_filter() {
        assertThat(SoqlLookup.soql("Lead", "IsConverted = false", List.of("a@x.com", "b@x.com")))
                .isEqualTo("SELECT Id, Email FROM Lead WHERE (IsConverted = false) AND Email IN ('a@x.com','b@x.com')");
        assertThat(SoqlLookup.soql("Contact", null, List.of("a@x.com")))
                .isEqualTo("SELECT Id, Email FROM Contact WHERE Email IN ('a@x.com')");
    }

    @Test
    void cuts_lists_by_count_and_by_length() {
        List<String> emails = List.of("a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com");
        assertThat(SoqlLookup.partition(emails, 2, 10_000)).hasSize(3);
        // each quoted address plus comma is 10 chars: a 25-char budget holds two
        assertThat(SoqlLookup.partition(emails, 100, 25)).extracting(List::size).containsExactly(2, 2, 1);
    }

    @Test
    void reads_ids_by_lower_cased_email_first_record_winning() throws Exception {
        String body = "{\"totalSize\":3,\"done\":true,\"records\":["
                + "{\"attributes\":{\"type\":\"Contact\"},\"Id\":\"003A\",\"Email\":\"Ann@Example.com\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"Id\":\"003B\",\"Email\":\"ann@example.com\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"Id\":\"003C\",\"Email\":null}]}";
        assertThat(SoqlLookup.parse(body.getBytes(StandardCharsets.UTF_8))).containsExactly(Map.entry("ann@example.com", "003A"));
    }
}
