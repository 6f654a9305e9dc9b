package dev.tempmedia.reach;

import dev.tempmedia.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network namespace of the test's own, joined to this host by a veth pair and nothing else: the
 * host end has {@code 10.213.X.1/30}, the namespace end {@code .2}, and the namespace has no other
 * route, no DNS server and a hosts file of its own ({@code /etc/netns/NAME/hosts}, which
 * {@code ip netns exec} puts over /etc/hosts). A program run in it that names a host from that file
 * can reach only the host end of the pair.
 *
 * <p>{@link #create} skips the test (fails it on CI) only when namespaces cannot be made here: not
 * root, no {@code ip}, or {@code ip netns add} refused. Any later step that fails is a failure. Closing
 * deletes the namespace, the veth pair and /etc/netns/NAME, whatever state creating it stopped in.
 */
final class NetworkNamespace implements AutoCloseable {
  private static final Path NETNS_ETC = Path.of("/etc/netns");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final Path ip;
  private final String name;
  private final String hostLink;
  private final String innerLink;
  private final String hostAddress;
  private final String innerAddress;
  private final boolean createdNetnsEtc;
  private boolean added;

  private NetworkNamespace(Path ip, String suffix, int subnet) {
    this.ip = ip;
    this.name = "tmns" + suffix;
    this.hostLink = "tmh" + suffix;
    this.innerLink = "tmn" + suffix;
    this.hostAddress = "10.213." + subnet + ".1";
    this.innerAddress = "10.213." + subnet + ".2";
    this.createdNetnsEtc = !Files.isDirectory(NETNS_ETC);
  }

  /** A namespace whose hosts file maps {@code names} to the host end of the pair. */
  static NetworkNamespace create(List<String> names) {
    if (!root()) {
      throw Prerequisites.missing(
          "a network namespace needs root (this JVM runs as uid " + uid() + ")");
    }
    Path ip = Prerequisites.require(
        "ip", "apt-get install iproute2", Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"));
    String suffix =
        HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    NetworkNamespace ns = new NetworkNamespace(ip, suffix, freeSubnet(ip));
    Result add = run(List.of(ip.toString(), "netns", "add", ns.name));
    if (add.exit != 0) {
      throw Prerequisites.missing(
          "ip netns add " + ns.name + " failed (containers often deny it): " + add.output);
    }
    ns.added = true;
    try {
      ns.wire(names);
      return ns;
    } catch (RuntimeException | Error e) {
      ns.close();
      throw e;
    }
  }

  private void wire(List<String> names) {
    ip("link", "add", hostLink, "type", "veth", "peer", "name", innerLink);
    ip("link", "set", innerLink, "netns", name);
    ip("addr", "add", hostAddress + "/30", "dev", hostLink);
    ip("link", "set", hostLink, "up");
    inside(ip.toString(), "addr", "add", innerAddress + "/30", "dev", innerLink);
    inside(ip.toString(), "link", "set", innerLink, "up");
    inside(ip.toString(), "link", "set", "lo", "up");
    try {
      Path etc = Files.createDirectories(NETNS_ETC.resolve(name));
      StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
      for (String n : names) {
        hosts.append(hostAddress).append(' ').append(n).append('\n');
      }
      Files.writeString(etc.resolve("hosts"), hosts.toString());
      // No name server: a name missing from the hosts file fails here instead of being asked about.
      Files.writeString(
          etc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The one way out of the namespace is the pair's own /30.
    String routes = inside(ip.toString(), "-4", "route", "show").output.strip();
    String own = "10.213." + subnet() + ".0/30 dev " + innerLink + " ";
    if (routes.isEmpty() || !routes.lines().allMatch(line -> line.startsWith(own))) {
      throw new AssertionError("the namespace has other routes than its veth's /30: " + routes);
    }
  }

  String name() {
    return name;
  }

  /** The host end's address: what the hosts file maps the names to, and where the server listens. */
  String hostAddress() {
    return hostAddress;
  }

  /** The namespace end's address: where requests from inside come from. */
  String innerAddress() {
    return innerAddress;
  }

  private String subnet() {
    return hostAddress.split("\\.")[2];
  }

  /**
   * Runs {@code command} inside the namespace with an environment that has no proxy or CA setting:
   * {@code environment} is all it adds to PATH, HOME and LANG.
   */
  Result exec(Map<String, String> environment, String... command) {
    List<String> full = new ArrayList<>(List.of(ip.toString(), "netns", "exec", name));
    full.addAll(List.of(command));
    return run(full, environment);
  }

  private Result inside(String... command) {
    Result r = exec(Map.of(), command);
    if (r.exit != 0) {
      throw new AssertionError("in " + name + ": " + String.join(" ", command) + " exited with "
          + r.exit + ": " + r.output);
    }
    return r;
  }

  private void ip(String... args) {
    List<String> command = new ArrayList<>(List.of(ip.toString()));
    command.addAll(List.of(args));
    Result r = run(command);
    if (r.exit != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited with " + r.exit + ": " + r.output);
    }
  }

  /** Deletes the namespace (which takes its end of the pair, and so the pair), the host end if left, and /etc/netns/NAME. */
  @Override
  public void close() {
    List<String> problems = new ArrayList<>();
    if (added) {
      Result del = run(List.of(ip.toString(), "netns", "del", name));
      if (del.exit != 0) {
        problems.add("ip netns del " + name + ": " + del.output);
      }
      added = false;
    }
    // The kernel takes the pair down a moment after the namespace goes: wait for that first.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (hostLinkExists() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (hostLinkExists()) {
      Result del = run(List.of(ip.toString(), "link", "del", hostLink));
      if (del.exit != 0 && hostLinkExists()) {
        problems.add("ip link del " + hostLink + ": " + del.output);
      }
    }
    try {
      Path etc = NETNS_ETC.resolve(name);
      if (Files.exists(etc)) {
        try (Stream<Path> walk = Files.walk(etc)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      if (createdNetnsEtc && Files.isDirectory(NETNS_ETC)) {
        try (Stream<Path> left = Files.list(NETNS_ETC)) {
          if (left.findAny().isEmpty()) {
            Files.delete(NETNS_ETC);
          }
        }
      }
    } catch (IOException e) {
      problems.add("removing " + NETNS_ETC.resolve(name) + ": " + e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("cleaning up namespace " + name + ": " + problems);
    }
  }

  private boolean hostLinkExists() {
    return run(List.of(ip.toString(), "link", "show", hostLink)).exit == 0;
  }

  /** What a command answered: its exit code, and stdout and stderr together. */
  record Result(int exit, String output) {}

  static Result run(List<String> command) {
    return run(command, Map.of());
  }

  private static Result run(List<String> command, Map<String, String> environment) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().retainAll(List.of("PATH", "HOME", "LANG"));
    env.putAll(environment);
    try {
      Path out = Files.createTempFile("tempmedia-netns-", ".out");
      try {
        Process p = pb.redirectOutput(out.toFile()).start();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
          return new Result(
              -1,
              String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT.toSeconds()
                  + " s: " + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return new Result(-1, String.join(" ", command) + " could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A 10.213.X.0/30 that no address or route of this host touches. */
  private static int freeSubnet(Path ip) {
    String taken = run(List.of(ip.toString(), "-4", "addr", "show")).output
        + run(List.of(ip.toString(), "-4", "route", "show", "table", "all")).output;
    for (int attempt = 0; attempt < 64; attempt++) {
      int x = ThreadLocalRandom.current().nextInt(256);
      if (!taken.contains("10.213." + x + ".")) {
        return x;
      }
    }
    throw new AssertionError("no free 10.213.X.0/30 on this host: " + taken);
  }

  private static boolean root() {
    return uid() == 0;
  }

  private static int uid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }
}
