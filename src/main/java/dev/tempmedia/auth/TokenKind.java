package dev.tempmedia.auth;

/** Which endpoint a token came from; each has its own rotation rule (SPEC §2). */
enum TokenKind {
  /** /cgi-bin/token: every call issues a new token, the previous keeps a 5-minute grace. */
  PLAIN("token"),
  /** /cgi-bin/stable_token: the same token while it has more than 5 minutes left. */
  STABLE("stable"),
  /** WeCom /cgi-bin/gettoken: the same token while valid, one line per corp secret. */
  WECOM("wecom");

  private final String lineName;

  TokenKind(String lineName) {
    this.lineName = lineName;
  }

  String lineName(int secretIndex) {
    return this == WECOM ? lineName + "/" + secretIndex : lineName;
  }
}
