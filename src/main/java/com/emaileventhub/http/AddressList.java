package com.emaileventhub.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** A comma-separated list of CIDR blocks from one configuration key; empty means "no restriction". */
public final class AddressList {
    static final AddressList EMPTY = new AddressList(List.of());
    private final List<Cidr> blocks;

    private AddressList(List<Cidr> blocks) {
        this.blocks = blocks;
    }

    /** @throws IllegalArgumentException naming the key (start-up stops on it) */
    public static AddressList parse(String key, String value) {
        if (value == null || value.isBlank()) {
            return EMPTY;
        }
        List<Cidr> blocks = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                blocks.add(Cidr.parse(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid configuration " + key + ": " + e.getMessage());
            }
        }
        return new AddressList(List.copyOf(blocks));
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether an IP literal (as an ESP reports it) lies in one of the blocks; false for anything else. */
    public boolean containsLiteral(String ip) {
        return ip != null && contains(Cidr.literal(ip));
    }

    boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
