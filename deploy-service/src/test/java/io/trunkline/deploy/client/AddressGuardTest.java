package io.trunkline.deploy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

    /** Names resolve from this table; literals the way the JDK parses them, without DNS. */
    private static final Map<String, List<String>> DNS = Map.of(
            "deploy.example.com", List.of("93.184.216.34"),
            "internal.example.com", List.of("10.1.2.3"),
            "mixed.example.com", List.of("93.184.216.34", "192.168.1.20"),
            "metadata.example.com", List.of("169.254.169.254"),
            "cgnat.example.com", List.of("100.100.1.1"),
            "nat64.example.com", List.of("64:ff9b::a00:1"));

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses.get(i)).getAddress());
        }
        return resolved;
    }

    private static AddressGuard guard(String... allowed) {
        return new AddressGuard(List.of(allowed), AddressGuardTest::resolve);
    }

    @Test
    void publicHostsAreAllowed() throws UnknownHostException {
        assertThat(guard().refusal("deploy.example.com")).isEmpty();
        assertThat(guard().refusal("93.184.216.34")).isEmpty();
        assertThat(guard().refusal("2606:4700::6810:84e5")).isEmpty();
        assertThat(guard().refusal("64:ff9b::5db8:d822")).isEmpty(); // NAT64 of 93.184.216.34
        assertThat(guard().refusal("2002:5db8:d822::1")).isEmpty(); // 6to4 of 93.184.216.34
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.64.0.1", "100.127.255.255", "198.18.0.1", "198.19.255.254", "224.0.0.1",
        "239.255.255.250", "ff02::1", "ff05::1:3", "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.51.100.7",
        "203.0.113.9", "192.0.0.8", "2001:db8::1", "100::1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::c0a8:101", "2002:c0a8:101::1", "::a00:1", "fec0::1", "cgnat.example.com", "nat64.example.com"})
    void sharedBenchmarkingMulticastReservedAndEmbeddedRestrictedAddressesAreRefused(String host)
            throws UnknownHostException {
        assertThat(guard().refusal(host)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("TRUNKLINE_TARGET_ALLOWED_HOSTS")
                .containsAnyOf("shared", "benchmarking", "multicast", "reserved", "loopback", "private", "link-local"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.63.255.255", "100.128.0.1", "198.17.255.255", "198.20.0.1", "223.255.255.255",
        "192.0.1.1", "198.51.101.1", "203.0.114.1", "2001:db9::1", "64:ff9a::a00:1"})
    void addressesNextToTheWidenedRangesArePublic(String host) throws UnknownHostException {
        assertThat(guard().refusal(host)).isEmpty();
    }

    @Test
    void theCheckedAddressIsTheOneToConnectTo() throws UnknownHostException {
        AddressGuard.Checked checked = guard().check("deploy.example.com");

        assertThat(checked.refusal()).isNull();
        assertThat(checked.address().getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(guard().check("internal.example.com").address()).isNull();
        assertThat(guard("internal.example.com").check("internal.example.com").address().getHostAddress())
                .isEqualTo("10.1.2.3");
    }

    @Test
    void anIpv6AddressCarryingAnIpv4OneIsJudgedByIt() throws UnknownHostException {
        assertThat(guard().refusal("nat64.example.com")).hasValueSatisfying(reason ->
                assertThat(reason).contains("private (inside an IPv6 address)"));
        assertThat(AddressGuard.embeddedIpv4(InetAddress.getByName("2002:a00:1::").getAddress()))
                .containsExactly(10, 0, 0, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "[::1]", "::1", "10.0.0.1", "172.16.5.4", "172.31.255.255",
        "192.168.0.1", "169.254.169.254", "0.0.0.0", "[::]", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1",
        "internal.example.com", "metadata.example.com"})
    void loopbackPrivateLinkLocalAndUnspecifiedAddressesAreRefused(String host) throws UnknownHostException {
        assertThat(guard().refusal(host)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("TRUNKLINE_TARGET_ALLOWED_HOSTS")
                .containsAnyOf("loopback", "private", "link-local", "unspecified"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.15.255.255", "172.32.0.1", "192.169.0.1", "11.0.0.1", "fb00::1", "fe00::1"})
    void addressesNextToThePrivateRangesArePublic(String host) throws UnknownHostException {
        assertThat(guard().refusal(host)).isEmpty();
    }

    @Test
    void aHostWithAnyRestrictedAddressIsRefused() throws UnknownHostException {
        assertThat(guard().refusal("mixed.example.com")).hasValueSatisfying(reason -> assertThat(reason)
                .contains("mixed.example.com").contains("private"));
    }

    @Test
    void listedHostNamesAreAllowedWhateverTheyResolveTo() throws UnknownHostException {
        AddressGuard guard = guard("Internal.Example.com", "localhost");

        assertThat(guard.refusal("internal.example.com")).isEmpty();
        assertThat(guard.refusal("INTERNAL.example.com.")).isEmpty();
        assertThat(guard.refusal("metadata.example.com")).isPresent();
    }

    @Test
    void listedAddressesAndNetworksAreAllowed() throws UnknownHostException {
        AddressGuard guard = guard("127.0.0.1", " 10.0.0.0/8 ", "fd00::/8", "[::1]");

        assertThat(guard.refusal("127.0.0.1")).isEmpty();
        assertThat(guard.refusal("127.0.0.2")).isPresent();
        assertThat(guard.refusal("10.200.3.4")).isEmpty();
        assertThat(guard.refusal("internal.example.com")).isEmpty();
        assertThat(guard.refusal("192.168.0.1")).isPresent();
        assertThat(guard.refusal("fd12::1")).isEmpty();
        assertThat(guard.refusal("fc12::1")).isPresent();
        assertThat(guard.refusal("[::1]")).isEmpty();
    }

    @Test
    void prefixesThatAreNotWholeBytesAreMatchedBitByBit() throws UnknownHostException {
        AddressGuard guard = guard("172.16.0.0/12", "192.168.4.0/22");

        assertThat(guard.refusal("172.31.255.255")).isEmpty();
        assertThat(guard.refusal("192.168.7.255")).isEmpty();
        assertThat(guard.refusal("192.168.8.0")).isPresent();
        assertThat(guard.refusal("192.168.3.255")).isPresent();
    }

    @Test
    void unresolvableHostIsReported() {
        assertThatThrownBy(() -> guard().refusal("nowhere.invalid")).isInstanceOf(UnknownHostException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "999.1.1.1/8", "10.0.0.0/8/8", "deploy.example.com/24"})
    void invalidEntriesAreRejectedNamingTheVariable(String entry) {
        assertThatThrownBy(() -> guard(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRUNKLINE_TARGET_ALLOWED_HOSTS")
                .hasMessageContaining(entry);
    }

    @Test
    void blankEntriesAreIgnored() throws UnknownHostException {
        assertThat(guard("", " ").refusal("127.0.0.1")).isPresent();
    }
}
