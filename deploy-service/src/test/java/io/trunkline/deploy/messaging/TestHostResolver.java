package io.trunkline.deploy.messaging;

import io.quarkus.test.Mock;
import io.trunkline.deploy.client.HostResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * An {@code /etc/hosts} of the tests: names under {@code .test} resolve from this table, which no DNS
 * server knows, so a call that reaches one of them was made to the address deploy-service checked.
 */
@Mock
@ApplicationScoped
public class TestHostResolver extends HostResolver {

    /** WireMock's address, allowed by the profile. */
    static final String TARGET_HOST = "deploy-target.test";
    /** A private address, not allowed. */
    static final String INTRANET_HOST = "intranet.test";
    /** The NAT64 form of 127.0.0.1: loopback inside an IPv6 address. */
    static final String NAT64_LOOPBACK_HOST = "nat64-loopback.test";

    private static final Map<String, String> HOSTS = Map.of(
            TARGET_HOST, "127.0.0.1",
            INTRANET_HOST, "10.20.30.40",
            NAT64_LOOPBACK_HOST, "64:ff9b::7f00:1");

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String address = HOSTS.get(host);
        if (address == null) {
            return super.resolve(host);
        }
        return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())};
    }
}
