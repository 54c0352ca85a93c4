package io.trunkline.ingest.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 range in CIDR notation ({@code 104.192.136.0/21}, {@code 2401:1d80:1010::/48}), or one address.
 * Only address literals: nothing is looked up in DNS.
 */
public record AddressRange(byte[] network, int prefix, String text) {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    /** @throws IllegalArgumentException when {@code cidr} is not an address or a range of addresses */
    public static AddressRange parse(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address).map(InetAddress::getAddress)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range"));
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length (0 to " + bytes.length * 8 + ")");
            }
        }
        return new AddressRange(bytes, prefix, text);
    }

    /** The address of a literal ({@code ::ffff:} IPv4-mapped addresses as IPv4), or empty for anything else. */
    public static Optional<InetAddress> literal(String address) {
        if (address == null || address.isEmpty() || !LITERAL.matcher(address).matches()
                || (address.indexOf(':') < 0 && address.chars().filter(c -> c == '.').count() != 3)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
