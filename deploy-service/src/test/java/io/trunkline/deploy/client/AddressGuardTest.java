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
            "metadata.example.com", List.of("169.254.169.254"));

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
