package dev.tempmedia.auth;

/** Who is calling, established from a valid access token. */
public record Caller(App app, int secretIndex) {}
