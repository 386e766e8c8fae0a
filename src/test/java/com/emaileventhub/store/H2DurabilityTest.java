package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.LogCapture;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every H2 URL the hub connects with writes commits to disk before it answers, unless the operator said otherwise. */
class H2DurabilityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:/var/lib/hub/db          | jdbc:h2:file:/var/lib/hub/db;WRITE_DELAY=0",
            "jdbc:h2:./data/hub                    | jdbc:h2:./data/hub;WRITE_DELAY=0",
            "jdbc:h2:~/hub                         | jdbc:h2:~/hub;WRITE_DELAY=0",
            "jdbc:h2:file:/x/db;                   | jdbc:h2:file:/x/db;WRITE_DELAY=0",
            "jdbc:h2:file:/x/db;MODE=PostgreSQL    | jdbc:h2:file:/x/db;MODE=PostgreSQL;WRITE_DELAY=0",
            "jdbc:h2:tcp://db:9092/hub             | jdbc:h2:tcp://db:9092/hub;WRITE_DELAY=0",
            "JDBC:H2:FILE:/x/db                    | JDBC:H2:FILE:/x/db;WRITE_DELAY=0",
            // a value that merely mentions the setting is not the setting
            "jdbc:h2:file:/x/db;INIT=SET A=1\\;SET WRITE_DELAY=5 | jdbc:h2:file:/x/db;INIT=SET A=1\\;SET WRITE_DELAY=5;WRITE_DELAY=0",
    })
    void an_h2_url_without_a_write_delay_gets_write_delay_0(String url, String durable) {
        assertThat(H2Durability.durable(url)).isEqualTo(durable);
        assertThat(H2Durability.delaysWrites(url)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:/x/db;WRITE_DELAY=0            | false",
            "jdbc:h2:file:/x/db;write_delay=00           | false",
            "jdbc:h2:file:/x/db;WRITE_DELAY=500          | true",
            "jdbc:h2:file:/x/db;write_delay=100;MODE=MySQL | true",
            "jdbc:h2:file:/x/db; Write_Delay = 20        | true",
            "jdbc:h2:mem:test;WRITE_DELAY=500            | false",
            "jdbc:h2:mem:test                            | false",
            "jdbc:postgresql://127.0.0.1:5432/test       | false",
    })
    void a_url_that_sets_a_write_delay_or_needs_none_is_left_as_it_is(String url, boolean delays) {
        assertThat(H2Durability.durable(url)).isEqualTo(url);
        assertThat(H2Durability.delaysWrites(url)).isEqualTo(delays);
    }

    @Test
    void a_bare_file_url_opens_a_database_whose_write_delay_is_0() {
        String url = TestDatabases.h2().replace(";WRITE_DELAY=0", "");
        try (Database db = new Database(url, "sa", "", 2, Duration.ofSeconds(3))) {
            assertThat(writeDelay(db)).isEqualTo("0");
        }
    }

    @Test
    void a_url_with_its_own_write_delay_keeps_it_and_start_up_warns_once() {
        String url = TestDatabases.h2().replace(";WRITE_DELAY=0", ";write_delay=300");
        List<String> warnings;
        try (LogCapture log = LogCapture.of(Database.class);
             Database db = new Database("hub.db.url", url, "sa", "", 2, Duration.ofSeconds(3))) {
            assertThat(writeDelay(db)).isEqualTo("300");
            warnings = log.warnings();
        }
        assertThat(warnings.stream().filter(l -> l.contains("WRITE_DELAY")).toList())
                .singleElement().asString()
                .contains("hub.db.url sets WRITE_DELAY=300").contains("acknowledged").contains("lost");
    }

    private static String writeDelay(Database db) {
        return Rows.strings(db.dataSource(),
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'").get(0);
    }
}
