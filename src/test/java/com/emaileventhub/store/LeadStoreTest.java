package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Engaged-lead rows stay within the scoring window on each database: a click or open older than the window leaves
 * no row (it could never count), and the purge drops the rows that have aged out, leaving the score as it was. A
 * recipient in its cooldown gets no signal and its clicks are not read again for each new one.
 */
class LeadStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(30);
    /** 3 points a click, signal at 9: three distinct clicks in the window make a lead. */
    private static final LeadStore.Scoring SCORING = new LeadStore.Scoring(3, 0, 9, WINDOW.toMillis(),
            Duration.ofDays(30).toMillis());

    private static CanonicalEvent click(String recipient, String messageId, Instant at) {
        return click(recipient, messageId, "https://example.com/" + messageId, at);
    }

    private static CanonicalEvent click(String recipient, String messageId, String url, Instant at) {
        return CanonicalEvent.builder("postmark").type(EventType.CLICKED).recipient(recipient).messageId(messageId)
                .url(url).occurredAt(at).build(at, at);
    }

    /** The data source, recording the SQL of every statement its connections prepare. */
    private static DataSource recording(DataSource dataSource, List<String> sql) {
        return (DataSource) Proxy.newProxyInstance(LeadStoreTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(LeadStoreTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement")) {
                                    sql.add((String) a[0]);
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static CanonicalEvent open(String recipient, String messageId, Instant at) {
        return CanonicalEvent.builder("postmark").type(EventType.OPENED).recipient(recipient).messageId(messageId)
                .occurredAt(at).build(at, at);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void clicks_and_opens_older_than_the_window_leave_no_rows_and_make_no_lead(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            LeadStore store = new LeadStore(db);
            Instant old = NOW.minus(WINDOW).minusSeconds(1);
            List<LeadStore.Signal> signals = store.apply(List.of(click("a@example.com", "m1", old),
                    click("a@example.com", "m2", old), click("a@example.com", "m3", old),
                    open("a@example.com", "m1", old)), NOW.toEpochMilli(), SCORING, List.of());
            assertThat(signals).isEmpty();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM lead_click")).isZero();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM lead_open")).isZero();
            Instant recent = NOW.minus(WINDOW).plusSeconds(60);
            signals = store.apply(List.of(click("a@example.com", "m1", recent), click("a@example.com", "m2", recent),
                    click("a@example.com", "m3", NOW)), NOW.toEpochMilli(), SCORING, List.of());
            assertThat(signals).extracting(LeadStore.Signal::clicks).containsExactly(3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void the_purge_drops_what_aged_out_of_the_window_and_keeps_the_rest(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            LeadStore store = new LeadStore(db);
            Instant early = NOW.minus(Duration.ofDays(20));
            store.apply(List.of(click("b@example.com", "m1", early), open("b@example.com", "m1", early),
                    click("b@example.com", "m2", NOW), open("b@example.com", "m2", NOW)), NOW.toEpochMilli(), SCORING,
                    List.of());
            // eleven days later the early ones are 31 days old
            long later = NOW.plus(Duration.ofDays(11)).toEpochMilli();
            assertThat(store.purge(later - WINDOW.toMillis())).isEqualTo(2);
            assertThat(Rows.strings(db.dataSource(), "SELECT send_key FROM lead_click"))
                    .singleElement().asString().contains("m2");
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM lead_open")).isEqualTo(1);
            assertThat(store.purge(later - WINDOW.toMillis())).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a_recipient_in_its_cooldown_gets_no_signal_and_its_clicks_are_not_read_again(TestDatabases.Kind kind) {
        LeadStore.Scoring scoring = new LeadStore.Scoring(3, 0, 9, WINDOW.toMillis(), Duration.ofDays(1).toMillis());
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            List<String> sql = Collections.synchronizedList(new ArrayList<>());
            LeadStore store = new LeadStore(recording(db.dataSource(), sql), db.dialect());
            String pricing = "https://example.com/pricing";
            List<LeadStore.Signal> signals = store.apply(List.of(click("c@example.com", "m1", pricing, NOW),
                    click("c@example.com", "m2", pricing, NOW), click("c@example.com", "m3", "https://example.com/docs", NOW)),
                    NOW.toEpochMilli(), scoring, List.of());
            // three distinct (send, link) clicks make the lead; the links are listed once each, in order
            assertThat(signals).singleElement().satisfies(s -> {
                assertThat(s.clicks()).isEqualTo(3);
                assertThat(s.score()).isEqualTo(9);
                assertThat(s.links()).containsExactly("https://example.com/docs", pricing);
            });
            // a busy clicker in the cooldown: every click is kept, none is read back, no signal
            sql.clear();
            Instant hourLater = NOW.plus(Duration.ofHours(1));
            List<CanonicalEvent> more = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                more.add(click("c@example.com", "n" + i, pricing, hourLater));
            }
            assertThat(store.apply(more, hourLater.toEpochMilli(), scoring, List.of())).isEmpty();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM lead_click")).isEqualTo(43);
            assertThat(sql).isNotEmpty().noneMatch(q -> q.startsWith("SELECT") && q.contains("lead_click"));
            // past the cooldown the next click signals again, counting every click of the window
            Instant dayLater = NOW.plus(Duration.ofDays(2));
            signals = store.apply(List.of(click("c@example.com", "p1", "https://example.com/signup", dayLater)),
                    dayLater.toEpochMilli(), scoring, List.of());
            assertThat(signals).singleElement().satisfies(s -> {
                assertThat(s.clicks()).isEqualTo(44);
                assertThat(s.links()).containsExactly("https://example.com/docs", pricing, "https://example.com/signup");
            });
        }
    }
}
