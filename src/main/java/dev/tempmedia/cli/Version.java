package dev.tempmedia.cli;

import dev.tempmedia.server.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version from the jar's manifest, or "development" when run from classes. */
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"tempmedia " + BuildInfo.version()};
  }
}
