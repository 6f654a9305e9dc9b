package dev.tempmedia.server;

/** Facts about the build that is running. */
public final class BuildInfo {
  private BuildInfo() {}

  /** The version from the jar's manifest, or "development" when run from classes. */
  public static String version() {
    String version = BuildInfo.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
