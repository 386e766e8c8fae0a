package com.emaileventhub.http;

import java.net.InetAddress;
import java.util.List;

/**
 * The address a request really came from. X-Forwarded-For is believed only as far as the hops that
 * appended to it are trusted proxies: the list is walked from the right (the entry the nearest proxy
 * wrote) and the first address that is not a trusted proxy is the client. Anything left of it was
 * written by the client itself and can say anything.
 */
final class ClientAddress {
    private final AddressList trustedProxies;

    ClientAddress(AddressList trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** @return the client's address, or null when the chain names something that is not an address */
    InetAddress resolve(String peer, List<String> forwardedFor) {
        InetAddress current = peer == null ? null : Cidr.literal(peer);
        if (current == null || trustedProxies.isEmpty() || !trustedProxies.contains(current)) {
            return current;
        }
        String[] hops = String.join(",", forwardedFor).split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            if (hops[i].isBlank()) {
                continue;
            }
            InetAddress hop = Cidr.literal(stripPort(hops[i].trim()));
            if (hop == null) {
                return null;
            }
            current = hop;
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return current;
    }

    /** True when the peer is a trusted proxy, whose X-Forwarded-* headers the hub may believe. */
    boolean trusted(String peer) {
        InetAddress address = peer == null ? null : Cidr.literal(peer);
        return address != null && trustedProxies.contains(address);
    }

    /** "1.2.3.4:5678" and "[2001:db8::1]:443" carry a port some proxies add; a bare IPv6 address has none. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }
}
