package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

    private static InetAddress address(String literal) {
        return AddressRange.literal(literal).orElseThrow();
    }

    @Test
    void ipv4AndIpv6Ranges() {
        AddressRange cloud = AddressRange.parse("104.192.136.0/21");
        assertThat(cloud.contains(address("104.192.136.1"))).isTrue();
        assertThat(cloud.contains(address("104.192.143.255"))).isTrue();
        assertThat(cloud.contains(address("104.192.144.0"))).isFalse();
        assertThat(cloud.contains(address("::ffff:104.192.137.9"))).isTrue(); // IPv4-mapped
        assertThat(cloud.contains(address("2401:1d80::1"))).isFalse();
        AddressRange v6 = AddressRange.parse("2401:1d80:1010::/48");
        assertThat(v6.contains(address("2401:1d80:1010:ffff::1"))).isTrue();
        assertThat(v6.contains(address("2401:1d80:1011::1"))).isFalse();
        assertThat(AddressRange.parse("10.1.2.3").contains(address("10.1.2.3"))).isTrue();
        assertThat(AddressRange.parse("10.1.2.3").contains(address("10.1.2.4"))).isFalse();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(address("198.51.100.1"))).isTrue();
    }

    @Test
    void onlyLiteralsNeverANameToLookUp() {
        for (String invalid : new String[] {"bitbucket.org", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/x", "", "::/129"}) {
            assertThatThrownBy(() -> AddressRange.parse(invalid)).as(invalid).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AddressRange.literal("localhost")).isEmpty();
        assertThat(AddressRange.literal(null)).isEmpty();
    }
}
