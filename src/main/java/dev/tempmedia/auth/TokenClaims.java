package dev.tempmedia.auth;

import dev.tempmedia.state.TokenLineKey;

/** What a token says about itself once its signature has been checked. */
record TokenClaims(
    TokenKind kind, String appId, int secretIndex, int epoch, long generation, long issuedAt) {

  TokenLineKey line() {
    return new TokenLineKey(appId, kind.lineName(secretIndex));
  }
}
