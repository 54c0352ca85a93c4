package io.trunkline.deploy.client;

import java.net.Inet4Address;
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
 * resolves to a loopback, private (site-local, {@code fc00::/7}), link-local or unspecified address
 * is refused unless the operator allows it by host name, address or CIDR in
 * {@code TRUNKLINE_TARGET_ALLOWED_HOSTS}. A host with several addresses is refused when any of them
 * is such an address and not allowed.
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
     * @return why a call to {@code host} is refused, or empty when it may go ahead
     * @throws UnknownHostException when the host cannot be resolved
     */
    public Optional<String> refusal(String host) throws UnknownHostException {
        String name = stripTrailingDot(stripBrackets(host.toLowerCase(Locale.ROOT)));
        if (allowedHosts.contains(name)) {
            return Optional.empty();
        }
        for (InetAddress address : resolver.resolve(name)) {
            Optional<String> kind = restrictedKind(address);
            if (kind.isPresent() && allowedNetworks.stream().noneMatch(cidr -> cidr.contains(address))) {
                return Optional.of("target host " + host + " resolves to a " + kind.get() + " address;"
                        + " list the host or its address in " + ALLOWED_HOSTS_VARIABLE + " to deploy to it");
            }
        }
        return Optional.empty();
    }

    /** What kind of non-public address this is, or empty for a public one. */
    static Optional<String> restrictedKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isAnyLocalAddress() || (address instanceof Inet4Address && address.getAddress()[0] == 0)) {
            return Optional.of("unspecified");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress() || isUniqueLocal(address)) {
            return Optional.of("private");
        }
        return Optional.empty();
    }

    /** IPv6 unique local addresses, {@code fc00::/7}: the IPv6 private networks. */
    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
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
