package dev.tempmedia.state;

/**
 * One line of tokens: the succession of tokens an app gets from one endpoint with one secret
 * ({@code token}, {@code stable}, {@code wecom/0}, …). Each issue on a line supersedes the last.
 */
public record TokenLineKey(String appId, String line) {
  @Override
  public String toString() {
    return appId + "/" + line;
  }
}
