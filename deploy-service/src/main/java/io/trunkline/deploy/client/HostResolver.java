package io.trunkline.deploy.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Looks up the addresses of target hosts, once per call: the {@link AddressGuard} checks them and the
 * call connects to the address checked. The system resolver.
 */
@ApplicationScoped
public class HostResolver implements AddressGuard.Resolver {

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }
}
