package io.trunkline.deploy.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps deployments away from the machine and network deploy-service runs in: a target whose host
 * resolves to a loopback, private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code fc00::/7},
 * {@code fec0::/10}), shared ({@code 100.64/10}, carrier-grade NAT), link-local, unspecified,
 * multicast, benchmarking ({@code 198.18/15}) or otherwise reserved address, or an IPv6 address that
 * embeds such an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, NAT64 {@code 64:ff9b::/96} and
 * {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16}), is refused unless the operator allows it by host
 * name, address or CIDR in {@code TRUNKLINE_TARGET_ALLOWED_HOSTS}. A host with several addresses is
 * refused when any of them is such an address and not allowed. {@link #check} hands back the address
 * it checked, which is the one the caller connects to: a DNS answer that changes between the check
 * and the connection (DNS rebinding) cannot lead the call elsewhere.
 */
public final class AddressGuard {

    /** The environment variable operators set; named in refusals. */
    public static final String ALLOWED_HOSTS_VARIABLE = "TRUNKLINE_TARGET_ALLOWED_HOSTS";

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> allowedHosts = new HashSet<>();
    private final List<Cidr> allowedNetworks = new ArrayList<>();
    private final Resolver resolver;

    /**
     * @param allowed host names, addresses and CIDRs, as listed in {@code TRUNKLINE_TARGET_ALLOWED_HOSTS}
     * @throws IllegalArgumentException for an entry that is not a valid address or CIDR
     */
    public AddressGuard(Collection<String> allowed, Resolver resolver) {
        this.resolver = resolver;
        for (String raw : allowed) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || isLiteral(stripBrackets(entry))) {
                allowedNetworks.add(Cidr.parse(stripBrackets(entry)));
            } else {
                allowedHosts.add(stripTrailingDot(entry));
            }
        }
    }

    /**
     * What a check of a host came to.
     *
     * @param address the address to connect to: the first the host resolved to; null when refused
     * @param refusal why a call to the host is refused; null when it may go ahead
     */
    public record Checked(InetAddress address, String refusal) {
    }

    /**
     * Resolves {@code host} once and checks every address it has.
     *
     * @throws UnknownHostException when the host cannot be resolved
     */
    public Checked check(String host) throws UnknownHostException {
        String name = stripTrailingDot(stripBrackets(host.toLowerCase(Locale.ROOT)));
        InetAddress[] addresses = resolver.resolve(name);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        if (!allowedHosts.contains(name)) {
            for (InetAddress address : addresses) {
                Optional<String> kind = restrictedKind(address);
                if (kind.isPresent() && allowedNetworks.stream().noneMatch(cidr -> cidr.contains(address))) {
                    return new Checked(null, "target host " + host + " resolves to a " + kind.get() + " address;"
                            + " list the host or its address in " + ALLOWED_HOSTS_VARIABLE + " to deploy to it");
                }
            }
        }
        return new Checked(addresses[0], null);
    }

    /**
     * @return why a call to {@code host} is refused, or empty when it may go ahead
     * @throws UnknownHostException when the host cannot be resolved
     */
    public Optional<String> refusal(String host) throws UnknownHostException {
        return Optional.ofNullable(check(host).refusal());
    }

    /** What kind of non-public address this is, or empty for a public one. */
    static Optional<String> restrictedKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        byte[] bytes = address.getAddress();
        if (address.isAnyLocalAddress() || (bytes.length == 4 && bytes[0] == 0)) {
            return Optional.of("unspecified");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress() || isUniqueLocal(bytes)) {
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        return bytes.length == 4 ? restrictedIpv4(bytes) : restrictedIpv6(bytes);
    }

    private static Optional<String> restrictedIpv4(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        int third = bytes[2] & 0xff;
        if (first == 100 && (second & 0xc0) == 64) {
            return Optional.of("shared (carrier-grade NAT)");
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return Optional.of("benchmarking");
        }
        if (first >= 240 // reserved, and 255.255.255.255 broadcast
                || (first == 192 && second == 0 && (third == 0 || third == 2)) // IETF protocol assignments, TEST-NET-1
                || (first == 198 && second == 51 && third == 100) // TEST-NET-2
                || (first == 203 && second == 0 && third == 113)) { // TEST-NET-3
            return Optional.of("reserved");
        }
        return Optional.empty();
    }

    /** IPv6 addresses that carry an IPv4 address are judged by it; a few IPv6 ranges are reserved. */
    private static Optional<String> restrictedIpv6(byte[] bytes) {
        byte[] embedded = embeddedIpv4(bytes);
        if (embedded != null) {
            try {
                Optional<String> kind = restrictedKind(InetAddress.getByAddress(embedded));
                return kind.map(inner -> inner + " (inside an IPv6 address)");
            } catch (UnknownHostException e) {
                return Optional.of("reserved");
            }
        }
        if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x01 && (bytes[2] & 0xff) == 0x0d
                && (bytes[3] & 0xff) == 0xb8) {
            return Optional.of("reserved"); // 2001:db8::/32, documentation
        }
        if ((bytes[0] & 0xff) == 0x01 && startsWithZeros(bytes, 7, 1)) {
            return Optional.of("reserved"); // 100::/64, discard
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 address; null for others. */
    static byte[] embeddedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return null;
        }
        boolean mapped = startsWithZeros(bytes, 10) && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        boolean compatible = startsWithZeros(bytes, 12);
        boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                && (bytes[3] & 0xff) == 0x9b && (startsWithZeros(bytes, 8, 4) || ((bytes[4] & 0xff) == 0x00
                && (bytes[5] & 0xff) == 0x01));
        if (mapped || compatible || nat64) {
            return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
        }
        if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) { // 6to4: 2002:AABB:CCDD::/48
            return new byte[] {bytes[2], bytes[3], bytes[4], bytes[5]};
        }
        return null;
    }

    private static boolean startsWithZeros(byte[] bytes, int count) {
        return startsWithZeros(bytes, count, 0);
    }

    /** Whether {@code count} bytes from {@code from} are all zero. */
    private static boolean startsWithZeros(byte[] bytes, int count, int from) {
        for (int i = from; i < from + count; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** IPv6 unique local addresses, {@code fc00::/7}: the IPv6 private networks. */
    private static boolean isUniqueLocal(byte[] bytes) {
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }

    private static boolean isLiteral(String text) {
        if (IPV4_LITERAL.matcher(text).matches()) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        return text.contains(":");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String stripTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** Looks up the addresses of a host; {@code InetAddress::getAllByName} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A network in CIDR notation; a bare address is a network of one. */
    record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String text) {
            String[] parts = text.split("/", -1);
            if (parts.length > 2 || !isLiteral(parts[0])) {
                throw invalid(text);
            }
            byte[] network;
            try {
                // a literal: resolved without any DNS lookup
                network = InetAddress.getByName(parts[0]).getAddress();
            } catch (UnknownHostException e) {
                throw invalid(text);
            }
            int bits = network.length * 8;
            int prefix;
            try {
                prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (prefix < 0 || prefix > bits) {
                throw invalid(text);
            }
            return new Cidr(network, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - remainingBits)) & 0xff;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }

        private static IllegalArgumentException invalid(String text) {
            return new IllegalArgumentException(ALLOWED_HOSTS_VARIABLE + ": '" + text
                    + "' is neither a host name nor a valid address or CIDR");
        }
    }
}
