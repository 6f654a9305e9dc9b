package dev.tempmedia.media.byurl;

import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Where an {@code upload_by_url} fetch may go (SPEC §12): loopback in dev mode, and the hosts of
 * {@code uploadByUrl.allowedHosts}. It judges addresses, not names: every address a URL's host
 * resolves to must be allowed, and the fetch then connects to one of those very addresses, so a name
 * that resolves differently a moment later (DNS rebinding) cannot lead it elsewhere. Each redirect is
 * judged again.
 */
final class AddressGuard {
  /** Resolves a host name; replaceable in tests. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean loopbackAllowed;
  private final List<String> allowedHosts;
  private final Resolver resolver;

  AddressGuard(boolean loopbackAllowed, List<String> allowedHosts, Resolver resolver) {
    this.loopbackAllowed = loopbackAllowed;
    this.allowedHosts = List.copyOf(allowedHosts);
    this.resolver = resolver;
  }

  static AddressGuard of(boolean devMode, List<String> allowedHosts) {
    return new AddressGuard(devMode, allowedHosts, InetAddress::getAllByName);
  }

  /** The address to connect to for {@code host}; 830003 when it does not resolve, 830001 when any address is outside. */
  InetAddress check(String host) {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new WeChatException(
          ErrorCode.URL_FETCH_FAILED, "the url's host " + host + " does not resolve");
    }
    if (addresses.length == 0) {
      throw new WeChatException(
          ErrorCode.URL_FETCH_FAILED, "the url's host " + host + " has no address");
    }
    for (InetAddress address : addresses) {
      if (!allowed(address)) {
        throw new WeChatException(
            ErrorCode.URL_INVALID,
            "the url's host " + host + " resolves to " + address.getHostAddress()
                + ", which fetches may not reach: "
                + (loopbackAllowed ? "loopback and " : "only ")
                + "uploadByUrl.allowedHosts " + allowedHosts + " are allowed"
                + (loopbackAllowed ? "" : " in prod mode")
                + "; it was not contacted");
      }
    }
    return addresses[0];
  }

  private boolean allowed(InetAddress address) {
    if (loopbackAllowed && address.isLoopbackAddress()) {
      return true;
    }
    for (String entry : allowedHosts) {
      int slash = entry.indexOf('/');
      if (slash > 0 ? inBlock(address, entry, slash) : isAddressOf(address, entry)) {
        return true;
      }
    }
    return false;
  }

  private boolean isAddressOf(InetAddress address, String host) {
    try {
      return Arrays.asList(resolver.resolve(host)).contains(address);
    } catch (UnknownHostException e) {
      return false; // an allowed name that does not resolve now allows nothing
    }
  }

  /** Whether {@code address} is in the CIDR block {@code a.b.c.d/n} (or an IPv6 one). */
  private static boolean inBlock(InetAddress address, String block, int slash) {
    byte[] base;
    int bits;
    try {
      base = InetAddress.getByName(block.substring(0, slash)).getAddress();
      bits = Integer.parseInt(block.substring(slash + 1));
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
    byte[] candidate = address.getAddress();
    if (candidate.length != base.length || bits < 0 || bits > base.length * 8) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((candidate[i / 8] & mask) != (base[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
