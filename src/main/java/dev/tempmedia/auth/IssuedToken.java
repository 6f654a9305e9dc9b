package dev.tempmedia.auth;

/** A token as a token endpoint hands it out. */
public record IssuedToken(String accessToken, long expiresIn) {}
