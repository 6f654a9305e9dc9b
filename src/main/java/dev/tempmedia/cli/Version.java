package dev.tempmedia.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"tempmedia " + text()};
  }

  public static String text() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
