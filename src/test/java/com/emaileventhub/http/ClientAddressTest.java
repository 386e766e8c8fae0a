package com.emaileventhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.Hub;
import com.emaileventhub.config.HubConfig;
import com.emaileventhub.support.TestDatabases;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CIDR matching and the X-Forwarded-For walk, without sockets. */
class ClientAddressTest {
    private final ClientAddress behindProxies =
            new ClientAddress(AddressList.parse("k", "10.0.0.0/8, 2001:db8:1::/48"));

    @Test
    void matches_ipv4_and_ipv6_blocks_and_single_addresses() {
        AddressList list = AddressList.parse("k", "192.0.2.0/24, 203.0.113.7, 2001:db8::/32, ::1");
        assertThat(list.contains(ip("192.0.2.255"))).isTrue();
        assertThat(list.contains(ip("192.0.3.0"))).isFalse();
        assertThat(list.contains(ip("203.0.113.7"))).isTrue();
        assertThat(list.contains(ip("203.0.113.8"))).isFalse();
        assertThat(list.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(list.contains(ip("2001:db9::1"))).isFalse();
        assertThat(list.contains(ip("::1"))).isTrue();
        assertThat(list.contains(ip("::ffff:192.0.2.10"))).as("IPv4-mapped IPv6 is the IPv4 address").isTrue();
    }

    @Test
    void refuses_anything_that_is_not_an_address_block_naming_the_key() {
        for (String bad : List.of("10.0.0.0/33", "300.1.1.1", "example.com", "10.0.0.0/x", "2001:db8::/129", "1.2.3")) {
            assertThatThrownBy(() -> AddressList.parse("hub.esp.brevo.allowed-ips", bad))
                    .hasMessageStartingWith("invalid configuration hub.esp.brevo.allowed-ips: ");
        }
    }

    @Test
    void stops_start_up_on_an_invalid_block_naming_the_key() {
        assertThatThrownBy(() -> new Hub(HubConfig.load(Map.of("hub.db.url", TestDatabases.h2(),
                "hub.http.trusted-proxies", "10.0.0.0/8,10.1.2.3/40"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.http.trusted-proxies");
        assertThatThrownBy(() -> new Hub(HubConfig.load(Map.of("hub.db.url", TestDatabases.h2(),
                "hub.esp.mailersend.allowed-ips", "not-an-ip"))))
                .hasMessageContaining("hub.esp.mailersend.allowed-ips");
    }

    @Test
    void ignores_x_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy() {
        assertThat(behindProxies.resolve("198.51.100.1", List.of("10.0.0.1"))).isEqualTo(ip("198.51.100.1"));
        assertThat(new ClientAddress(AddressList.EMPTY).resolve("10.0.0.1", List.of("198.51.100.1")))
                .as("nothing is trusted by default").isEqualTo(ip("10.0.0.1"));
    }

    @Test
    void takes_the_first_untrusted_address_from_the_right() {
        assertThat(behindProxies.resolve("10.0.0.2", List.of("192.0.2.1, 198.51.100.9, 10.0.0.5"))).isEqualTo(ip("198.51.100.9"));
        assertThat(behindProxies.resolve("10.0.0.2", List.of("192.0.2.1", "198.51.100.9:4711"))).isEqualTo(ip("198.51.100.9"));
        assertThat(behindProxies.resolve("2001:db8:1::9", List.of("[2001:db8:2::1]:443"))).isEqualTo(ip("2001:db8:2::1"));
    }

    @Test
    void gives_no_address_when_the_chain_holds_garbage_where_the_client_should_be() {
        assertThat(behindProxies.resolve("10.0.0.2", List.of("198.51.100.9, unknown"))).isNull();
        assertThat(AddressList.parse("k", "198.51.100.0/24").contains(null)).isFalse();
    }

    private static InetAddress ip(String literal) {
        return Cidr.literal(literal);
    }
}
