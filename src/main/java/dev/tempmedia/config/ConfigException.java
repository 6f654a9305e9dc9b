package dev.tempmedia.config;

import java.util.List;

/** The configuration cannot be used; the message names each offending key and how to fix it. */
public final class ConfigException extends RuntimeException {
  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }
}
